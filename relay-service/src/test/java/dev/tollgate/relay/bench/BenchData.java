package dev.tollgate.relay.bench;

import dev.tollgate.relay.snapshot.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bodies and streams the benchmarks feed the production classes: a ~1.7 KB chat request (system prompt, three
 * turns, one tool) in OpenAI's and Anthropic's dialects, answers with usage, and 20-event upstream streams as
 * the bytes of one SSE event each (how a streaming upstream's writes usually arrive).
 */
final class BenchData {

    /** The answer text the streams spell out, a few words per event. */
    static final String ANSWER = "Tuesday afternoon in Berlin looks mostly dry with a light breeze and around 9 °C, so "
            + "umbrellas are optional. The IC trains on this route have a family area in the second-class coach next "
            + "to the bistro; reserve seats there when you book.";

    private BenchData() {
    }

    static byte[] resource(String name) {
        try (InputStream in = BenchData.class.getResourceAsStream("/bench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing bench resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Channel channel(String provider, String baseUrl) {
        return new Channel(1, "bench", provider, baseUrl, "sk-bench", Map.of(), Set.of(), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);
    }

    /** The answer cut at word boundaries into {@code count} pieces. */
    static List<String> pieces(int count) {
        String[] words = ANSWER.split("(?<= )");
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pieces.add(String.join("", Arrays.copyOfRange(words, i * words.length / count,
                    (i + 1) * words.length / count)));
        }
        return pieces;
    }

    /**
     * An OpenAI chat stream as gpt-4o-mini writes it with {@code include_usage}: the role chunk, the text, the
     * finish chunk, the usage chunk (20 chunks, 17 of them text), then {@code [DONE]}.
     */
    static List<byte[]> openAiStream() {
        List<String> data = new ArrayList<>();
        String head = "{\"id\":\"chatcmpl-B9MHDbslfCsjvbuJOOMxrTszE6RYo\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1764150000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_560af6e559\",";
        data.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
        for (String piece : pieces(17)) {
            data.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(piece) + "},"
                    + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
        }
        data.add(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":null}");
        data.add(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":312,\"completion_tokens\":64,"
                + "\"total_tokens\":376,\"prompt_tokens_details\":{\"cached_tokens\":128,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
        data.add("[DONE]");
        List<byte[]> events = new ArrayList<>();
        for (String d : data) {
            events.add(("data: " + d + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    /**
     * An Anthropic Messages stream: message_start, a text block (start, ping, the text, stop), message_delta with
     * usage, message_stop — 20 events, 14 of them text deltas.
     */
    static List<byte[]> anthropicStream() {
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"
                + "\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
                + "\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
                + "{\"input_tokens\":184,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":128,"
                + "\"output_tokens\":1,\"service_tier\":\"standard\"}}}"});
        events.add(new String[] {"content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"});
        events.add(new String[] {"ping", "{\"type\": \"ping\"}"});
        for (String piece : pieces(14)) {
            events.add(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(piece) + "}}"});
        }
        events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":64}}"});
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        List<byte[]> bytes = new ArrayList<>();
        for (String[] event : events) {
            bytes.add(("event: " + event[0] + "\ndata: " + event[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return bytes;
    }

    private static String quote(String text) {
        return dev.tollgate.contracts.json.Json.mapper().writeValueAsString(text);
    }
}
