package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CommittedTemplateTest {

    static final String REFRESH = "./mvnw -B -o -pl deploy/aws test -Dtollgate.template.refresh=true";

    @Test
    void shouldEqualFreshSynthWhenTemplatesAreCommitted() throws IOException {
        for (Map.Entry<String, String> e : TollgateApp.TEMPLATES.entrySet()) {
            Path fresh = Synthesized.templateFile(e.getKey());
            Path committed = Synthesized.moduleDir().resolve("template").resolve(e.getValue());
            if (Boolean.getBoolean("tollgate.template.refresh")) {
                Files.createDirectories(committed.getParent());
                Files.copy(fresh, committed, StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(committed).as("committed template %s", committed).exists();
            JsonNode expected = Synthesized.JSON.readTree(Synthesized.read(fresh));
            JsonNode actual = Synthesized.JSON.readTree(Synthesized.read(committed));
            List<String> differences = new ArrayList<>();
            diff("", expected, actual, differences);
            assertThat(differences)
                    .as("deploy/aws/template/%s differs from a fresh synth of the CDK app (first differences "
                            + "shown); refresh it with: %s", e.getValue(), REFRESH)
                    .isEmpty();
        }
    }

    /** Paths where two JSON trees differ, at most 10. */
    static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (out.size() >= 10 || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>(expected.propertyNames());
            names.addAll(actual.propertyNames());
            for (String name : names) {
                if (!actual.has(name)) {
                    out.add(path + "/" + name + ": missing in the committed file");
                } else if (!expected.has(name)) {
                    out.add(path + "/" + name + ": not in a fresh synth");
                } else {
                    diff(path + "/" + name, expected.get(name), actual.get(name), out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(path + "/" + i, expected.get(i), actual.get(i), out);
            }
        } else {
            out.add(path + ": " + abbreviate(actual) + " committed, " + abbreviate(expected) + " synthesized");
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    @Test
    void shouldShowWhereTheTemplatesDifferWhenTheCommittedOneIsStale() {
        JsonNode fresh = Synthesized.mainTree();
        tools.jackson.databind.node.ObjectNode stale = Synthesized.mainTree();
        ((tools.jackson.databind.node.ObjectNode) stale.path("Parameters").path("OriginReadTimeout")).put("Default", 30);
        List<String> differences = new ArrayList<>();
        diff("", fresh, stale, differences);
        assertThat(differences).containsExactly("/Parameters/OriginReadTimeout/Default: 30 committed, 60 synthesized");
    }

    @Test
    void shouldNeedNoCdkBootstrapWhenDeployedWithOneClick() {
        JsonNode tree = Synthesized.mainTree();
        assertThat(tree.path("Parameters").has("BootstrapVersion")).isFalse();
        assertThat(tree.has("Rules")).isFalse();
        assertThat(Synthesized.resources("AWS::CDK::Metadata")).isEmpty();
        assertThat(tree.toString()).doesNotContain("cdk-hnb659fds").doesNotContain("aws:asset:");
    }
}
