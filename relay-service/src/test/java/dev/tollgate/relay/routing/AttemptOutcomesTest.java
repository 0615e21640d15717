package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptOutcomesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private static final String OPENAI_QUOTA = """
            {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
            "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""";
    private static final String OPENAI_RATE_LIMIT = """
            {"error":{"message":"Rate limit reached for gpt-4o on tokens per min (TPM). You can increase your rate \
            limit by adding a payment method at https://platform.openai.com/account/billing.",
            "type":"tokens","param":null,"code":"rate_limit_exceeded"}}""";
    private static final String OPENAI_BAD_KEY = """
            {"error":{"message":"Incorrect API key provided: sk-abc***.","type":"invalid_request_error",
            "param":null,"code":"invalid_api_key"}}""";
    private static final String OPENAI_DEACTIVATED = """
            {"error":{"message":"This key is associated with a deactivated account.",
            "type":"invalid_request_error","param":null,"code":"account_deactivated"}}""";
    private static final String ANTHROPIC_CREDIT = """
            {"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low \
            to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}}""";
    private static final String ANTHROPIC_OVERLOADED = """
            {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";

    private static UpstreamResult.Refused refused(int status, String body, String retryAfter, String message) {
        return new UpstreamResult.Refused(status, "application/json",
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), retryAfter, message);
    }

    private static AttemptOutcome classify(int status, String body, String retryAfter, String message) {
        return AttemptOutcomes.fromRefused(refused(status, body, retryAfter, message), CLOCK);
    }

    @Test
    void shouldBeRateLimitedWithRetryAfterSecondsWhenUpstreamAnswers429() {
        AttemptOutcome outcome = classify(429, OPENAI_RATE_LIMIT, "20", "Rate limit reached");
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.RATE_LIMITED);
        assertThat(outcome.status()).isEqualTo(429);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(outcome.message()).isEqualTo("Rate limit reached");
    }

    @Test
    void shouldReadRetryAfterRelativeToClockWhenItIsAnHttpDate() {
        AttemptOutcome outcome = classify(429, null, "Sun, 01 Mar 2026 12:00:45 GMT", null);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void shouldReadRetryAfterAsZeroWhenTheDateHasPassed() {
        assertThat(AttemptOutcomes.retryAfter("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldReadFractionalRetryAfterWhenGivenInSecondsWithDecimals() {
        assertThat(AttemptOutcomes.retryAfter("1.5", CLOCK)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldLeaveRetryAfterUnsetWhenAbsentOrUnreadable() {
        assertThat(classify(429, null, null, null).retryAfter()).isNull();
        assertThat(classify(429, null, "soon", null).retryAfter()).isNull();
        assertThat(classify(429, null, " ", null).retryAfter()).isNull();
    }

    @Test
    void shouldBeAccountProblemWhenOpenAiSendsInsufficientQuotaAs429() {
        AttemptOutcome outcome = classify(429, OPENAI_QUOTA, "20", "You exceeded your current quota");
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.ACCOUNT_PROBLEM);
        assertThat(outcome.status()).isEqualTo(429);
    }

    @Test
    void shouldBeRateLimitedWhenA429MessageMerelyMentionsBilling() {
        assertThat(classify(429, OPENAI_RATE_LIMIT, null,
                "You can increase your rate limit at https://platform.openai.com/account/billing").kind())
                .isEqualTo(AttemptOutcome.Kind.RATE_LIMITED);
    }

    @Test
    void shouldBeAccountProblemWhenAnthropicSaysCreditBalanceIsTooLow() {
        assertThat(classify(400, ANTHROPIC_CREDIT, null, "Your credit balance is too low to access the Anthropic API.")
                .kind()).isEqualTo(AttemptOutcome.Kind.ACCOUNT_PROBLEM);
    }

    @Test
    void shouldBeAccountProblemWhenCodeSaysAccountDeactivated() {
        assertThat(classify(401, OPENAI_DEACTIVATED, null, null).kind())
                .isEqualTo(AttemptOutcome.Kind.ACCOUNT_PROBLEM);
    }

    @Test
    void shouldBeAccountProblemWhenUpstreamAnswers402() {
        assertThat(classify(402, null, null, null).kind()).isEqualTo(AttemptOutcome.Kind.ACCOUNT_PROBLEM);
    }

    @Test
    void shouldBeAuthRejectedWhenKeyIsInvalid() {
        assertThat(classify(401, OPENAI_BAD_KEY, null, "Incorrect API key provided").kind())
                .isEqualTo(AttemptOutcome.Kind.AUTH_REJECTED);
        assertThat(classify(403, null, null, "You don't have access to the model with the specified model ID.")
                .kind()).isEqualTo(AttemptOutcome.Kind.AUTH_REJECTED);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 424, 500, 502, 503, 504, 529, 302})
    void shouldBeServerErrorWhenStatusSaysNothingAboutTheRequest(int status) {
        assertThat(classify(status, ANTHROPIC_OVERLOADED, null, "Overloaded").kind())
                .isEqualTo(AttemptOutcome.Kind.SERVER_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413, 422})
    void shouldBeClientErrorWhenTheRequestIsAtFault(int status) {
        AttemptOutcome outcome = classify(status, "{\"error\":{\"type\":\"invalid_request_error\"}}", null,
                "max_tokens: must be positive");
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.CLIENT_ERROR);
        assertThat(outcome.kind().retryable()).isFalse();
    }

    @Test
    void shouldBeClientErrorWhenTheModelIsDeactivatedRatherThanTheAccount() {
        assertThat(classify(400, null, null, "The model `gpt-3` has been deactivated.").kind())
                .isEqualTo(AttemptOutcome.Kind.CLIENT_ERROR);
    }

    @Test
    void shouldClassifyByStatusWhenBodyIsNotJson() {
        assertThat(classify(503, "<html>bad gateway</html>", null, null).kind())
                .isEqualTo(AttemptOutcome.Kind.SERVER_ERROR);
        assertThat(classify(400, "not json {", null, null).kind()).isEqualTo(AttemptOutcome.Kind.CLIENT_ERROR);
    }

    @Test
    void shouldBeTimedOutWhenUpstreamDidNotAnswerInTime() {
        AttemptOutcome outcome = AttemptOutcomes.fromFailure(new UpstreamFailure.TimedOut("no answer", null));
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.TIMED_OUT);
        assertThat(outcome.status()).isZero();
    }

    @Test
    void shouldBeUnreachableWhenUpstreamCouldNotBeReached() {
        assertThat(AttemptOutcomes.fromFailure(new UpstreamFailure.Unreachable("refused", null)).kind())
                .isEqualTo(AttemptOutcome.Kind.UNREACHABLE);
    }

    @Test
    void shouldFindUpstreamFailureWhenItIsWrapped() {
        RuntimeException wrapped = new RuntimeException(new UpstreamFailure.TimedOut("no answer", null));
        assertThat(AttemptOutcomes.fromFailure(wrapped).kind()).isEqualTo(AttemptOutcome.Kind.TIMED_OUT);
    }

    @Test
    void shouldBeUnreachableWhenFailureIsAnythingElse() {
        assertThat(AttemptOutcomes.fromFailure(new IOException("reset")).kind())
                .isEqualTo(AttemptOutcome.Kind.UNREACHABLE);
        assertThat(AttemptOutcomes.fromFailure(new IllegalStateException()).kind())
                .isEqualTo(AttemptOutcome.Kind.UNREACHABLE);
    }

    @Test
    void shouldBeSucceededWhenUpstreamAnswered() {
        assertThat(AttemptOutcomes.succeeded().kind()).isEqualTo(AttemptOutcome.Kind.SUCCEEDED);
    }

    @Test
    void shouldTryAnotherChannelWhenTheAdapterBlamesTheChannelsSetup() {
        UpstreamResult.Refused missingDeployment = new UpstreamResult.Refused(404, "application/json",
                "{\"error\":{\"code\":\"DeploymentNotFound\"}}".getBytes(StandardCharsets.UTF_8), null,
                "The API deployment for this resource does not exist.").asChannelFault();

        AttemptOutcome outcome = AttemptOutcomes.fromRefused(missingDeployment, CLOCK);

        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.SERVER_ERROR);
        assertThat(outcome.kind().retryable()).isTrue();
        assertThat(outcome.kind().disablesChannel()).isFalse();
        assertThat(AttemptOutcomes.fromRefused(refused(404, "{}", null, "no such model"), CLOCK).kind())
                .isEqualTo(AttemptOutcome.Kind.CLIENT_ERROR);
    }
}
