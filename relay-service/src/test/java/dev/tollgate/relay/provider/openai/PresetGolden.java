package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Recorded wire samples of the OpenAI-compatible presets and Azure, under src/test/resources/golden/openai-presets. */
final class PresetGolden {

    private static final String DIR = "/golden/openai-presets/";

    private PresetGolden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = PresetGolden.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String name) {
        return Json.mapper().readTree(bytes(name));
    }

    /** Asserts that {@code actual} is the JSON in golden file {@code name}, semantically. */
    static void assertJson(JsonNode actual, String name) {
        assertThat(actual).as(name).isEqualTo(tree(name));
    }

    /** The data of each SSE event in order; comment lines ({@code : OPENROUTER PROCESSING}) carry none. */
    static List<String> sseData(String name) {
        return TranslateGolden.sseData(bytes(name));
    }

    /** SSE text as {@code [{"event":…,"data":{…}}]}, for comparing a writer's frames with a golden file. */
    static JsonNode sseTree(String text) {
        ArrayNode events = Json.mapper().createArrayNode();
        for (String block : text.split("\n\n")) {
            ObjectNode event = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = events.addObject();
                    event.put("event", line.substring("event: ".length()));
                } else if (line.startsWith("data: ")) {
                    if (event == null) {
                        event = events.addObject();
                    }
                    event.set("data", Json.mapper().readTree(line.substring("data: ".length())));
                }
            }
        }
        return events;
    }

    static String utf8(List<byte[]> frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] frame : frames) {
            text.append(new String(frame, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
