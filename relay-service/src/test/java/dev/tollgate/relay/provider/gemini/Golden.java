package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Recorded Gemini wire samples under src/test/resources/golden/gemini-upstream. */
final class Golden {

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/gemini-upstream/" + name)) {
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

    /** The {@code data:} payloads of an SSE file (Google separates events with CRLF). */
    static List<String> sse(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring("data: ".length()))
                .toList();
    }
}
