package dev.tollgate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Golden files under {@code src/test/resources/golden/}, and the per-run values to blank before comparing. */
public final class Golden {

    // Ids differ per run: keep the prefix, blank the rest.
    private static final String[] ID_PREFIXES = {"msg_", "toolu_", "tooluse_", "call_", "chatcmpl-", "req_"};

    private Golden() {
    }

    public static String read(String resource) {
        try (InputStream in = Golden.class.getClassLoader().getResourceAsStream("golden/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces generated ids (by their prefix) in place, anywhere in the tree. */
    public static JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                if (value.isString() && isId(value.asString())) {
                    object.put(field.getKey(), prefix(value.asString()) + "ID");
                } else {
                    normalise(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                normalise(element);
            }
        }
        return node;
    }

    private static boolean isId(String value) {
        return prefix(value) != null && value.length() > prefix(value).length() + 8;
    }

    private static String prefix(String value) {
        for (String prefix : ID_PREFIXES) {
            if (value.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }
}
