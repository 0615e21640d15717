package dev.tollgate.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    @Test
    void shouldFrameDataWithASpaceAndABlankLine() {
        assertThat(text(SseFrames.data("{\"a\":1}"))).isEqualTo("data: {\"a\":1}\n\n");
        assertThat(text(SseFrames.data("[DONE]"))).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void shouldSplitMultiLinePayloadIntoOneDataLineEach() {
        assertThat(text(SseFrames.data("one\ntwo"))).isEqualTo("data: one\ndata: two\n\n");
    }

    @Test
    void shouldNameTheEventWhenGivenOne() {
        assertThat(text(SseFrames.event("message_stop", "{}"))).isEqualTo("event: message_stop\ndata: {}\n\n");
    }

    @Test
    void shouldFrameNonAsciiTextAsUtf8() {
        assertThat(text(SseFrames.event("content_block_delta", "{\"text\":\"é 😀\"}")))
                .isEqualTo("event: content_block_delta\ndata: {\"text\":\"é 😀\"}\n\n");
    }

    @Test
    void shouldFrameUtf8BytesAsTheSameText() {
        String json = "{\"text\":\"é 😀\"}";
        assertThat(SseFrames.event("delta", json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SseFrames.event("delta", json));
        assertThat(SseFrames.data(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(SseFrames.data(json));
        assertThat(text(SseFrames.data("one\ntwo".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("data: one\ndata: two\n\n");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
