package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden files of the OpenAI translation under src/test/resources/golden/openai-translate, and the internal model
 * as JSON (each part and event tagged with its record's name, e.g. {@code {"type":"Text","text":"hi"}}) so that
 * inputs and expectations read as files. Comparisons are semantic: both sides parsed, trees compared.
 */
public final class TranslateGolden {

    private static final String DIR = "/golden/openai-translate/";

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Part.Text.class), @JsonSubTypes.Type(Part.Image.class),
            @JsonSubTypes.Type(Part.ToolUse.class), @JsonSubTypes.Type(Part.ToolResult.class),
            @JsonSubTypes.Type(Part.Thinking.class), @JsonSubTypes.Type(Part.RedactedThinking.class)})
    private interface PartMixIn {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(ChatEvent.Started.class), @JsonSubTypes.Type(ChatEvent.BlockStarted.class),
            @JsonSubTypes.Type(ChatEvent.TextDelta.class), @JsonSubTypes.Type(ChatEvent.ToolInputDelta.class),
            @JsonSubTypes.Type(ChatEvent.ThinkingDelta.class), @JsonSubTypes.Type(ChatEvent.SignatureDelta.class),
            @JsonSubTypes.Type(ChatEvent.BlockStopped.class), @JsonSubTypes.Type(ChatEvent.Finished.class),
            @JsonSubTypes.Type(ChatEvent.UsageReported.class), @JsonSubTypes.Type(ChatEvent.Ended.class)})
    private interface EventMixIn {
    }

    private static final JsonMapper CHAT = Json.mapper().rebuild()
            .addMixIn(Part.class, PartMixIn.class)
            .addMixIn(ChatEvent.class, EventMixIn.class)
            .build();

    private TranslateGolden() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = TranslateGolden.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static JsonNode tree(String name) {
        return Json.mapper().readTree(bytes(name));
    }

    public static ChatRequest chatRequest(String name) {
        return CHAT.readValue(bytes(name), ChatRequest.class);
    }

    public static ChatResponse chatResponse(String name) {
        return CHAT.readValue(bytes(name), ChatResponse.class);
    }

    public static List<ChatEvent> events(String name) {
        return CHAT.readValue(bytes(name), new TypeReference<List<ChatEvent>>() { });
    }

    /** The internal model as JSON text, parsed back (so numbers compare as the files' do). */
    public static JsonNode chatTree(Object value) {
        return Json.mapper().readTree(CHAT.writeValueAsString(value));
    }

    public static JsonNode eventsTree(List<ChatEvent> events) {
        return Json.mapper().readTree(CHAT.writerFor(new TypeReference<List<ChatEvent>>() { })
                .writeValueAsString(events));
    }

    /** Asserts that {@code actual} is the JSON in golden file {@code name}, semantically. */
    public static void assertJson(byte[] actual, String name) {
        assertThat(Json.mapper().readTree(actual)).as(name).isEqualTo(tree(name));
    }

    public static void assertJson(JsonNode actual, String name) {
        assertThat(actual).as(name).isEqualTo(tree(name));
    }

    /** The data of each SSE event, in order (one data line per event, as OpenAI sends them). */
    public static List<String> sseData(String name) {
        return sseData(bytes(name));
    }

    public static List<String> sseData(byte[] stream) {
        List<String> data = new ArrayList<>();
        for (String line : new String(stream, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring("data: ".length()));
            }
        }
        return data;
    }
}
