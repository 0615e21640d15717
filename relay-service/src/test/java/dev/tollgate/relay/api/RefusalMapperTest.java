package dev.tollgate.relay.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefusalMapperTest {

    private static UpstreamResult.Refused refused(int status, String message) {
        return new UpstreamResult.Refused(status, "application/json",
                "{\"type\":\"error\"}".getBytes(StandardCharsets.UTF_8), null, message);
    }

    @Test
    void shouldRewordClientMistakeInCallersDialectWhenUpstreamSpeaksAnother() {
        Rejection rejection = RefusalMapper.toRejection(refused(400, "messages: roles must alternate"), false)
                .orElseThrow();

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
        assertThat(rejection.getMessage()).isEqualTo("messages: roles must alternate");
    }

    @Test
    void shouldAnswerModelNotFoundWhenTranslatedUpstreamDoesNotKnowTheModel() {
        Rejection rejection = RefusalMapper.toRejection(refused(404, "model: claude-x"), false).orElseThrow();

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.MODEL_NOT_FOUND);
        assertThat(rejection.kind().status()).isEqualTo(404);
    }

    @Test
    void shouldHideUpstreamAccountProblemEvenWhenUpstreamCallsItABadRequest() {
        Rejection rejection = RefusalMapper.toRejection(
                refused(400, "Your credit balance is too low to access the Anthropic API."), true).orElseThrow();

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.UPSTREAM_ERROR);
        assertThat(rejection.getMessage()).doesNotContain("credit");
    }

    @Test
    void shouldGiveGenericMessageWhenTranslatedUpstreamSaysNothing() {
        Rejection rejection = RefusalMapper.toRejection(refused(422, null), false).orElseThrow();

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
        assertThat(rejection.getMessage()).contains("HTTP 422");
    }

    @Test
    void shouldAnswerAGenericUpstreamErrorWhenTheChannelsSetupIsAtFault() {
        Rejection rejection = RefusalMapper.toRejection(refused(404, "The API deployment for this resource does not "
                + "exist.").asChannelFault(), true).orElseThrow();

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.UPSTREAM_ERROR);
        assertThat(rejection.getMessage()).doesNotContain("deployment");
    }
}
