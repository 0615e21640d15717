package dev.tollgate.relay.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.CapturedText;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.openai.OpenAiResponseWriter;
import dev.tollgate.relay.capture.BodyCaptures;
import dev.tollgate.relay.capture.PassThroughReaders;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.openai.OpenAiStreamTranslator;
import dev.tollgate.relay.snapshot.PriceEntry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageRecorderTest {

    // $1 per million tokens in and out, plus 1 micro per request: any charge shows in the cost.
    private static final PriceEntry PRICE = new PriceEntry("m", 4,
            new Price(1_000_000, 1_000_000, 0, 0, 1, 0, 0), null);
    private static final long PROMPT = 40;

    private final UsageRecorder recorder = new UsageRecorder("relay-a", null, new PendingCharges());

    /** A request that got as far as calling the upstream. */
    private static RequestMeter calling() {
        RequestMeter meter = new RequestMeter("openai");
        meter.identify(10, 1, "default");
        meter.modelAsked("m");
        meter.routed(5, "openai", "m");
        meter.admitted(PRICE, 10_000, PROMPT, null);
        meter.upstreamCalled();
        return meter;
    }

    private UsagePublisher.Finished finish(RequestMeter meter, boolean cancelled) {
        return recorder.toFinished(meter.snapshot(cancelled));
    }

    private static void assertNothingCharged(UsagePublisher.Finished finished) {
        UsageEvent event = finished.event();
        assertThat(event.tokens()).isEqualTo(TokenUsage.NONE);
        assertThat(event.requests()).isZero();
        assertThat(event.estimated()).isFalse();
        assertThat(finished.costMicros()).isZero();
    }

    @ParameterizedTest
    @CsvSource({"504, timeout", "502, upstream_error", "500, internal_error"})
    void shouldChargeNothingWhenUpstreamNeverAnswered(int status, String errorClass) {
        RequestMeter meter = calling();
        meter.failed(status, errorClass, true);

        UsagePublisher.Finished finished = finish(meter, false);

        assertNothingCharged(finished);
        assertThat(finished.event().status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(finished.event().httpStatus()).isEqualTo(status);
        assertThat(finished.event().errorClass()).isEqualTo(errorClass);
        assertThat(finished.event().attempts()).as("the attempt is still recorded").hasSize(1);
    }

    @Test
    void shouldChargeNothingWhenClientLeftBeforeUpstreamAnswered() {
        UsagePublisher.Finished finished = finish(calling(), true);

        assertNothingCharged(finished);
        assertThat(finished.event().status()).isEqualTo(UsageStatus.CANCELLED);
    }

    @ParameterizedTest
    @CsvSource({"401, 502", "429, 429", "500, 502", "400, 400"})
    void shouldChargeNothingAndKeepUpstreamStatusWhenUpstreamAnsweredWithError(int upstream, int client) {
        RequestMeter meter = calling();
        meter.upstreamRefused(upstream, client);

        UsagePublisher.Finished finished = finish(meter, false);

        assertNothingCharged(finished);
        assertThat(finished.event().errorClass()).isEqualTo("upstream_http_" + upstream);
        assertThat(finished.event().httpStatus()).isEqualTo(client);
    }

    @Test
    void shouldChargePromptAndTextSoFarWhenClientCancelsStartedStream() {
        RequestMeter meter = calling();
        meter.streaming();
        meter.observe(new StreamStep("{}", null, "Hello there, ", false));
        meter.observe(new StreamStep("{}", null, "general", false));

        UsagePublisher.Finished finished = finish(meter, true);

        UsageEvent event = finished.event();
        assertThat(event.status()).isEqualTo(UsageStatus.CANCELLED);
        assertThat(event.estimated()).isTrue();
        assertThat(event.inputTokens()).isEqualTo(PROMPT);
        assertThat(event.outputTokens()).isEqualTo(TokenCounter.count("Hello there, general")).isPositive();
        assertThat(event.requests()).isEqualTo(1);
        assertThat(finished.costMicros()).isPositive();
    }

    @Test
    void shouldChargePromptAndTextSoFarWhenUpstreamCutsStartedStream() {
        RequestMeter meter = calling();
        meter.streaming();
        meter.observe(new StreamStep("{}", null, "partial answer", false));
        meter.streamCut("upstream_stream_cut");

        UsageEvent event = finish(meter, false).event();

        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.estimated()).isTrue();
        assertThat(event.outputTokens()).isEqualTo(TokenCounter.count("partial answer"));
        assertThat(event.requests()).isEqualTo(1);
    }

    @Test
    void shouldChargeEverySearchUnitAsARequestWhenTheUpstreamBilledSeveral() {
        RequestMeter meter = calling();
        meter.answered(200, TokenUsage.ofTokens(0, 0).withRequests(3), "");

        UsageEvent event = finish(meter, false).event();

        assertThat(event.estimated()).isFalse();
        assertThat(event.requests()).isEqualTo(3);
        assertThat(event.inputTokens()).isZero();
    }

    @Test
    void shouldChargeThePromptCountMarkedEstimatedWhenAnEmbeddingAnswerReportedNoUsage() {
        RequestMeter meter = calling();
        meter.answered(200, null, "");

        UsageEvent event = finish(meter, false).event();

        assertThat(event.estimated()).isTrue();
        assertThat(event.inputTokens()).isEqualTo(PROMPT);
        assertThat(event.outputTokens()).isZero();
        assertThat(event.requests()).isEqualTo(1);
    }

    @Test
    void shouldChargeReportedUsageExactlyWhenUpstreamReportedIt() {
        RequestMeter meter = calling();
        meter.answered(200, TokenUsage.ofTokens(42, 7), "");

        UsageEvent event = finish(meter, false).event();

        assertThat(event.estimated()).isFalse();
        assertThat(event.inputTokens()).isEqualTo(42);
        assertThat(event.outputTokens()).isEqualTo(7);
        assertThat(event.requests()).isEqualTo(1);
    }

    @Test
    void shouldCountAnswerTextWhenWholeAnswerReportedNoUsage() {
        RequestMeter meter = calling();
        meter.answered(200, null, "The capital of France is Paris.");

        UsageEvent event = finish(meter, false).event();

        assertThat(event.estimated()).isTrue();
        assertThat(event.inputTokens()).isEqualTo(PROMPT);
        assertThat(event.outputTokens()).isEqualTo(TokenCounter.count("The capital of France is Paris."))
                .isPositive();
        assertThat(event.requests()).isEqualTo(1);
    }

    @Test
    void shouldPutNothingOnTheEventAndKeepNothingWhenTheKeyDoesNotCapture() {
        RequestMeter meter = calling();
        meter.captureRequest("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        meter.answered(200, TokenUsage.ofTokens(10, 5), "");
        meter.captureResponse("{\"choices\":[]}".getBytes(StandardCharsets.UTF_8));
        meter.captureStream(answer -> new byte[0]);

        RequestMeter.Snapshot facts = meter.snapshot(false);

        assertThat(meter.capturing()).isFalse();
        assertThat(facts.capture()).isNull();
        assertThat(recorder.toFinished(facts).event().capture()).isNull();
    }

    @Test
    void shouldPutTheCapturedBodiesOnTheEventWhenTheKeyCaptures() {
        RequestMeter meter = calling();
        meter.capture(new BodyCaptures(16_384, PassThroughReaders.all()).start(Dialect.OPENAI));
        meter.captureRequest("{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        meter.answered(200, TokenUsage.ofTokens(10, 5), "");
        meter.captureResponse("{\"choices\":[]}".getBytes(StandardCharsets.UTF_8));

        UsagePublisher.Finished finished = finish(meter, false);

        assertThat(finished.event().capture()).isEqualTo(new Capture(new CapturedText("{\"model\":\"m\"}", false),
                new CapturedText("{\"choices\":[]}", false), false));
        assertThat(finished.event().tokens()).as("capture changes no count").isEqualTo(
                TokenUsage.ofTokens(10, 5).withRequests(1));
    }

    @Test
    void shouldReassembleWhatTheClientGotOfAStreamWhenTheClientLeftMidway() {
        RequestMeter meter = calling();
        meter.capture(new BodyCaptures(16_384, PassThroughReaders.all()).start(Dialect.OPENAI));
        meter.captureRequest("{\"stream\":true}".getBytes(StandardCharsets.UTF_8));
        meter.streaming();
        meter.captureStream(answer -> OpenAiResponseWriter.write(answer, "m"));
        meter.observe(OpenAiStreamTranslator.toStreamStep("{\"id\":\"c1\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"Hel\"}}]}", false));
        meter.observe(OpenAiStreamTranslator.toStreamStep("{\"id\":\"c1\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"lo\"}}]}", false));

        UsagePublisher.Finished finished = finish(meter, true);

        assertThat(finished.event().status()).isEqualTo(UsageStatus.CANCELLED);
        Capture capture = finished.event().capture();
        assertThat(capture.streamed()).isTrue();
        assertThat(capture.response().text()).contains("\"content\":\"Hello\"");
    }
}

