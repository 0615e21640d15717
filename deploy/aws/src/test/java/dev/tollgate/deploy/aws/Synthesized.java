package dev.tollgate.deploy.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One synth for the whole test run (it takes tens of seconds: jsii starts node and the CDK validates the
 * templates): every test class reads the templates from here.
 */
final class Synthesized {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static CloudAssembly assembly;
    private static Template main;
    private static Template waf;

    private Synthesized() {
    }

    /** The module directory (deploy/aws), set by Surefire; the working directory otherwise. */
    static Path moduleDir() {
        return Path.of(System.getProperty("tollgate.aws.dir", ".")).toAbsolutePath().normalize();
    }

    static synchronized CloudAssembly assembly() {
        if (assembly == null) {
            Path out = moduleDir().resolve("target/cdk-test.out");
            deleteRecursively(out);
            assembly = TollgateApp.synth(out);
        }
        return assembly;
    }

    static Path templateFile(String stack) {
        CloudAssembly a = assembly();
        return Path.of(a.getDirectory(), a.getStackByName(stack).getTemplateFile());
    }

    static synchronized Template main() {
        if (main == null) {
            main = Template.fromString(read(templateFile(TollgateApp.MAIN_STACK)));
        }
        return main;
    }

    static synchronized Template waf() {
        if (waf == null) {
            waf = Template.fromString(read(templateFile(TollgateApp.WAF_STACK)));
        }
        return waf;
    }

    /** The main template as a JSON tree, for checks the assertions library cannot express. */
    static ObjectNode mainTree() {
        return (ObjectNode) JSON.readTree(read(templateFile(TollgateApp.MAIN_STACK)));
    }

    /** Resources of a type in the main template, by logical id. */
    static Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        mainTree().get("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asString())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    static JsonNode only(String type) {
        Map<String, JsonNode> found = resources(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + found.keySet());
        }
        return found.values().iterator().next();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
