package dev.tollgate.admin.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LiveWindowsTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void shouldRateOverTheSecondsWatchedWhenTheInstanceIsYoung() {
        LiveWindows w = new LiveWindows(START);
        Instant now = START.plusSeconds(10);
        for (int i = 0; i < 20; i++) {
            w.record(event(now.minusSeconds(i % 10), "m", 1L, UsageStatus.SUCCESS, 100, 50L), 1_000, now);
        }

        LiveSnapshot s = w.snapshot(now, true);

        assertThat(s.minute().coveredSeconds()).isEqualTo(10);
        assertThat(s.minute().total().requests()).isEqualTo(20);
        assertThat(s.minute().total().requestsPerSecond()).isEqualTo(2.0);
        assertThat(s.minute().total().tokensPerSecond()).isEqualTo(20 * 30 / 10.0);
        assertThat(s.minute().total().costMicros()).isEqualTo(20_000);
        assertThat(s.minute().total().spendPerMinuteMicros()).isEqualTo(120_000);
        assertThat(s.hour().total().requests()).isEqualTo(20);
    }

    @Test
    void shouldForgetTheMinuteButKeepTheHourWhenTimePasses() {
        LiveWindows w = new LiveWindows(START);
        Instant t = START.plusSeconds(5);
        w.record(event(t, "m", 1L, UsageStatus.SUCCESS, 100, null), 0, t);

        LiveSnapshot later = w.snapshot(t.plusSeconds(90), true);

        assertThat(later.minute().total().requests()).isZero();
        assertThat(later.hour().total().requests()).isEqualTo(1);
        assertThat(w.snapshot(t.plus(Duration.ofMinutes(61)), true).hour().total().requests()).isZero();
    }

    @Test
    void shouldReuseASlotWithoutCountingWhatItHeldAMinuteAgo() {
        LiveWindows w = new LiveWindows(START);
        Instant t = START.plusSeconds(3);
        w.record(event(t, "m", 1L, UsageStatus.SUCCESS, 100, null), 0, t);
        Instant aMinuteLater = t.plusSeconds(60);
        w.record(event(aMinuteLater, "m", 1L, UsageStatus.SUCCESS, 100, null), 0, aMinuteLater);

        assertThat(w.snapshot(aMinuteLater, true).minute().total().requests()).isEqualTo(1);
        assertThat(w.snapshot(aMinuteLater, true).perSecond()).hasSize(60)
                .last().satisfies(p -> assertThat(p.requests()).isEqualTo(1));
    }

    @Test
    void shouldKeepRejectionsOutOfErrorRateAndLatencyWhenCounting() {
        LiveWindows w = new LiveWindows(START);
        Instant now = START.plusSeconds(30);
        w.record(event(now, "m", 2L, UsageStatus.SUCCESS, 200, null), 0, now);
        w.record(event(now, "m", 2L, UsageStatus.UPSTREAM_ERROR, 400, null), 0, now);
        w.record(event(now, "m", null, UsageStatus.REJECTED, 1, null), 0, now);

        LiveSnapshot.Stats m = w.snapshot(now, true).minute().total();

        assertThat(m.requests()).isEqualTo(3);
        assertThat(m.rejected()).isEqualTo(1);
        assertThat(m.errorRate()).isEqualTo(0.5);
        assertThat(m.latencyP50Ms()).isEqualTo(200);
        assertThat(m.ttftP50Ms()).isNull();
        assertThat(w.snapshot(now, true).minute().byChannel()).singleElement()
                .satisfies(k -> assertThat(k.key()).isEqualTo("2"));
    }

    @Test
    void shouldBoundTheModelsKeptWhenCustomersSendManyNames() {
        LiveWindows w = new LiveWindows(START);
        Instant now = START.plusSeconds(30);
        for (int i = 0; i < LiveWindows.MAX_KEYS + 50; i++) {
            w.record(event(now, "model-" + i, null, UsageStatus.REJECTED, 1, null), 0, now);
        }

        LiveSnapshot.Window minute = w.snapshot(now, true).minute();

        assertThat(minute.byModel()).hasSize(LiveWindows.MAX_KEYS + 1);
        assertThat(minute.byModel().get(0).key()).isEqualTo(LiveWindows.OTHER);
        assertThat(minute.byModel().get(0).stats().requests()).isEqualTo(50);
    }

    @Test
    void shouldCountAnEventFromTheFutureNowAndDropOneOlderThanTheHour() {
        LiveWindows w = new LiveWindows(START);
        Instant now = START.plus(Duration.ofHours(2));
        w.record(event(now.plusSeconds(30), "m", 1L, UsageStatus.SUCCESS, 1, null), 0, now);
        w.record(event(now.minus(Duration.ofMinutes(61)), "m", 1L, UsageStatus.SUCCESS, 1, null), 0, now);

        LiveSnapshot s = w.snapshot(now, true);

        assertThat(s.minute().total().requests()).isEqualTo(1);
        assertThat(s.hour().total().requests()).isEqualTo(1);
    }

    private static UsageEvent event(Instant finishedAt, String model, Long channelId, UsageStatus status,
            long latencyMs, Long ttftMs) {
        return UsageEvent.builder().requestId(UUID.randomUUID().toString()).userId(1).keyId(1).modelAsked(model)
                .channelId(channelId).status(status).latencyMs(latencyMs).ttftMs(ttftMs)
                .tokens(new TokenUsage(10, 0, 0, 20, 0, 0, 0, 0)).finishedAt(finishedAt).build();
    }
}
