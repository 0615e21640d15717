package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Golden files of the Responses API under src/test/resources/golden/openai-responses; compared semantically. */
final class ResponsesGolden {

    private static final String DIR = "/golden/openai-responses/";

    /** One SSE event: its {@code event:} name and its data parsed. */
    record Event(String name, JsonNode data) {
    }

    private ResponsesGolden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = ResponsesGolden.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object(String name) {
        return (ObjectNode) Json.mapper().readTree(bytes(name));
    }

    static void assertJson(JsonNode actual, String name) {
        assertThat(actual).as(name).isEqualTo(Json.mapper().readTree(bytes(name)));
    }

    static void assertJson(byte[] actual, String name) {
        assertJson(Json.mapper().readTree(actual), name);
    }

    static void assertEvents(List<byte[]> frames, String name) {
        StringBuilder text = new StringBuilder();
        for (byte[] frame : frames) {
            text.append(new String(frame, StandardCharsets.UTF_8));
        }
        assertThat(events(text.toString())).as(name)
                .isEqualTo(events(new String(bytes(name), StandardCharsets.UTF_8)));
    }

    /** Parses SSE text: blank-line separated events of one {@code event:} and one {@code data:} line. */
    static List<Event> events(String text) {
        List<Event> events = new ArrayList<>();
        String name = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("event: ")) {
                name = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                events.add(new Event(name, Json.mapper().readTree(line.substring("data: ".length()))));
                name = null;
            } else if (!line.isEmpty()) {
                throw new IllegalArgumentException("not an SSE line: " + line);
            }
        }
        return events;
    }
}
