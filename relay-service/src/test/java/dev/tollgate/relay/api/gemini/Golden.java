package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Recorded Gemini wire samples under src/test/resources/golden/gemini-inbound. */
final class Golden {

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/gemini-inbound/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return Json.mapper().readTree(bytes(name));
    }

    static ObjectNode object(String name) {
        return (ObjectNode) json(name);
    }

    /** The {@code data:} payloads of SSE text, parsed; fails on any other line but blank ones. */
    static List<JsonNode> events(String text) {
        return text.lines()
                .filter(line -> !line.isEmpty())
                .map(line -> {
                    if (!line.startsWith("data: ")) {
                        throw new IllegalArgumentException("not an SSE data line: " + line);
                    }
                    return Json.mapper().readTree(line.substring("data: ".length()));
                })
                .toList();
    }

    static String text(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
