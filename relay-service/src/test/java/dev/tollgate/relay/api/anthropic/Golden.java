package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Recorded Anthropic wire samples under src/test/resources/golden/anthropic-inbound. */
final class Golden {

    /** One SSE event: its name and its data parsed, for semantic comparison. */
    record Event(String name, JsonNode data) {
    }

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/anthropic-inbound/" + name)) {
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

    static JsonNode parse(byte[] json) {
        return Json.mapper().readTree(json);
    }

    static List<Event> sse(String name) {
        return events(new String(bytes(name), StandardCharsets.UTF_8));
    }

    static String text(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Parses SSE text: blank-line separated events of {@code event:} and {@code data:} lines. */
    static List<Event> events(String text) {
        List<Event> events = new ArrayList<>();
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(name, Json.mapper().readTree(data.toString())));
                }
                name = null;
                data.setLength(0);
            } else if (line.startsWith("event: ")) {
                name = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line, "data: ".length(), line.length());
            } else {
                throw new IllegalArgumentException("not an SSE line: " + line);
            }
        }
        if (data.length() > 0) {
            throw new IllegalArgumentException("last event not terminated by a blank line");
        }
        return events;
    }
}
