package dev.tollgate.relay.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.config.RelayProperties;
import dev.tollgate.relay.metering.RequestMeter;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What capture costs: the size of a usage event at worst, and nothing at all for keys that do not capture. */
class CaptureBoundsTest {

    /** The usage producer's {@code max.request.size} (Kafka's default; the relay does not raise it). */
    private static final int MAX_REQUEST_SIZE = 1_048_576;

    @Test
    void shouldKeepAWorstCaseEventUnderTheProducersLimitAtTheLargestCap() {
        int cap = RelayProperties.Capture.MAX;
        int worst = size(cap);
        int usual = size(new RelayProperties.Capture(16_384).maxBytes());

        System.out.printf("capture: worst-case usage event %,d bytes at the %,d-byte cap, %,d at the default cap%n",
                worst, cap, usual);
        // Two bodies of control characters, each written as a six-byte \\u00XX escape, plus the event's own fields.
        assertThat(worst).isGreaterThan(2 * 6 * cap).isLessThan(MAX_REQUEST_SIZE - 16 * 1024);
        assertThatThrownBy(() -> new RelayProperties.Capture(cap + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RelayProperties.Capture(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAllocateNothingInTheCaptureHooksWhenTheKeyDoesNotCapture() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        RequestMeter meter = new RequestMeter("openai");
        byte[] body = new byte[64 * 1024];
        for (int i = 0; i < 20_000; i++) { // warm up, so the measured loop runs compiled
            hooks(meter, body);
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            hooks(meter, body);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        System.out.printf("capture: %,d bytes allocated by 100,000 requests' capture hooks with capture off%n",
                allocated);
        // The measuring call itself may allocate a little; a copy of one body alone would be 64 KiB.
        assertThat(allocated).isLessThan(1_024);
    }

    private static void hooks(RequestMeter meter, byte[] body) {
        if (meter.capturing()) {
            throw new AssertionError("capturing");
        }
        meter.captureRequest(body);
        meter.captureResponse(body);
    }

    private static int size(int cap) {
        BodyCapture capture = new BodyCaptures(cap, PassThroughReaders.all()).start(Dialect.OPENAI);
        byte[] controls = new byte[cap * 2];
        Arrays.fill(controls, (byte) 0x01);
        capture.request(controls);
        capture.response(controls);
        String name = "m".repeat(128);
        UsageEvent event = UsageEvent.builder().requestId("01a2173e-0864-7125-a499-5607c675002b")
                .relayId("r".repeat(128))
                .keyId(Long.MAX_VALUE).userId(Long.MAX_VALUE).group("g".repeat(64)).channelId(Long.MAX_VALUE)
                .modelAsked(name).modelServed(name).priceModel(name).dialect("anthropic").provider("openrouter")
                .tokens(new TokenUsage(1L << 40, 1L << 40, 1L << 40, 1L << 40, 1L << 40, 1, 0, 0)).estimated(true)
                .status(UsageStatus.UPSTREAM_ERROR).httpStatus(502).errorClass("upstream_stream_cut")
                .attempts(List.of(new Attempt(Long.MAX_VALUE, "unreachable", 60_000),
                        new Attempt(Long.MAX_VALUE, "unreachable", 60_000),
                        new Attempt(Long.MAX_VALUE, "unreachable", 60_000)))
                .latencyMs(Long.MAX_VALUE).ttftMs(Long.MAX_VALUE).startedAt(Instant.now()).finishedAt(Instant.now())
                .capture(capture.freeze().toCapture()).build().withRelaySeq(Long.MAX_VALUE);
        return EventCodec.encode(event).length;
    }
}
