package dev.tollgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The checkout under test (system property {@code tollgate.root}, set by the pom) and YAML reading. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("tollgate.root", "../..")).toAbsolutePath().normalize();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document as maps and lists (anchors and {@code <<} merge keys resolved, as compose does). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml(new LoaderOptions()).load(text);
    }

    /** Every non-empty document of a multi-document stream (helm template's output). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (o != null) {
                docs.add((Map<String, Object>) o);
            }
        }
        return docs;
    }

    /** {@code a.b.c} into nested maps; null when absent. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String dotted) {
        Object cur = node;
        for (String k : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return (T) cur;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static final Pattern LITERAL = Pattern.compile("\"(TOLLGATE_[A-Z0-9_]+)\"");

    /** {@code "TOLLGATE_…"} string literals of a plain (non-Spring) main class: the variables it reads. */
    static Map<String, String> javaEnvReads(String relative) {
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher m = LITERAL.matcher(read(relative));
        while (m.find()) {
            vars.put(m.group(1), "");
        }
        return vars;
    }
}
