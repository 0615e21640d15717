package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Recorded Anthropic Messages wire samples under src/test/resources/golden/anthropic-upstream. */
final class Golden {

    private Golden() {
    }

    /** One SSE event as Anthropic sends it: an {@code event:} line and one {@code data:} line. */
    record Sse(String event, String data) {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/anthropic-upstream/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static JsonNode json(String name) {
        return Json.mapper().readTree(bytes(name));
    }

    static List<Sse> sse(String name) {
        List<Sse> events = new ArrayList<>();
        String event = null;
        for (String line : text(name).split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                events.add(new Sse(event, line.substring("data: ".length())));
                event = null;
            }
        }
        return events;
    }
}
