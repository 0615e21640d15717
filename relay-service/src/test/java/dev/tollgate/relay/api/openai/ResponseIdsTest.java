package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.StreamStep;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The ids of native channels' responses as the relay shows them, and back. */
class ResponseIdsTest {

    @ParameterizedTest
    @CsvSource({
            "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b, 12, 34, resp_tg12u34_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
            "resp_abc_def, 1, 2, resp_tg1u2_abc_def",
            "abc123, 7, 8, tg7u8_abc123",
            "resp_tg5u6_x, 9, 10, resp_tg9u10_tg5u6_x",
            "resp_1, 9223372036854775807, 1, resp_tg9223372036854775807u1_1"})
    void shouldShowTheChannelAndUserInTheIdAndReadThemBack(String upstream, long channel, long user, String shown) {
        assertThat(ResponseIds.encode(upstream, channel, user)).isEqualTo(shown);

        ResponseIds.Decoded decoded = ResponseIds.decode(shown).orElseThrow();
        assertThat(decoded).isEqualTo(new ResponseIds.Decoded(upstream, channel, user));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resp_abc", "resp_123", "", "resp_tg12_abc", "resp_tgxu1_abc", "resp_tg1u_abc",
            "resp_tg1u2_", "resp_tg99999999999999999999u1_abc", "../tg1u2_x/y"})
    void shouldNotReadBackIdsTheRelayDidNotMake(String shown) {
        assertThat(ResponseIds.decode(shown)).isEmpty();
    }

    @Test
    void shouldRewriteOnlyTheResponsesIdsInAWholeAnswer() {
        String body = "{\"id\":\"resp_a\",\"object\":\"response\",\"previous_response_id\":\"resp_p\","
                + "\"output\":[{\"id\":\"msg_a\",\"type\":\"message\"}]}";

        byte[] shown = new ResponsesIdRewriter(3, 4).body(body.getBytes(StandardCharsets.UTF_8));

        assertThat(new String(shown, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"resp_tg3u4_a\",\"object\":"
                + "\"response\",\"previous_response_id\":\"resp_tg3u4_p\",\"output\":[{\"id\":\"msg_a\","
                + "\"type\":\"message\"}]}");
    }

    @Test
    void shouldLeaveAnswersThatAreNoResponseUntouched() {
        byte[] list = "{\"object\":\"list\",\"data\":[{\"id\":\"msg_1\"}]}".getBytes(StandardCharsets.UTF_8);

        assertThat(new ResponsesIdRewriter(3, 4).body(list)).isSameAs(list);
    }

    @Test
    void shouldRewriteTheIdInEventsThatCarryTheResponseOnly() {
        ResponsesIdRewriter rewriter = new ResponsesIdRewriter(3, 4);
        StreamStep created = new StreamStep("response.created", "{\"type\":\"response.created\",\"response\":"
                + "{\"id\":\"resp_a\",\"object\":\"response\",\"previous_response_id\":null}}", null, "", false);
        StreamStep delta = new StreamStep("response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                + "\"item_id\":\"msg_a\",\"delta\":\"resp_a\"}", null, "resp_a", false);

        assertThat(rewriter.step(created).data()).isEqualTo("{\"type\":\"response.created\",\"response\":"
                + "{\"id\":\"resp_tg3u4_a\",\"object\":\"response\",\"previous_response_id\":null}}");
        assertThat(rewriter.step(created).event()).isEqualTo("response.created");
        assertThat(rewriter.step(delta)).isSameAs(delta);
    }
}
