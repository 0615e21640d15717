package dev.tollgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

class PendingRevocationsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private PendingRevocations pending;

    @AfterEach
    void stop() {
        if (pending != null) {
            pending.destroy();
        }
    }

    @Test
    void shouldResendWithTheSameCommandIdUntilTheLedgerAnswersAndCountItAsPendingMeanwhile() {
        // The ledger is silent twice, then answers.
        pending = retrying(call -> call <= 2 ? unavailable() : ok());

        assertThat(pending.add(revokeSession(), "cmd-1", "fp", "user:7", START.plusSeconds(3600))).isTrue();

        assertThat(gauge()).isEqualTo(1.0);
        await().atMost(DEADLINE).until(() -> pending.size() == 0);
        assertThat(sent).containsExactly("cmd-1", "cmd-1", "cmd-1");
        assertThat(gauge()).isZero();
    }

    @Test
    void shouldDropWithoutACommandASignOutWhoseTokenHasAlreadyExpired() {
        pending = retrying(call -> ok());

        assertThat(pending.add(revokeSession(), "cmd-2", "fp", "user:7", START.minusSeconds(1))).isFalse();
        assertThat(pending.add(revokeSession(), "cmd-3", "fp", "user:7", START)).isFalse();

        assertThat(gauge()).isZero();
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldStopSendingOnceEveryTokenTheSignOutEndsHasExpired() {
        pending = retrying(call -> unavailable());
        pending.add(new Command.RevokeSessions(7, START), "cmd-4", "fp", "user:7", START.plusSeconds(60));
        await().atMost(DEADLINE).until(() -> sent.size() >= 2);
        assertThat(gauge()).isEqualTo(1.0);

        clock.set(START.plusSeconds(61));

        await().atMost(DEADLINE).until(() -> pending.size() == 0);
        assertThat(gauge()).isZero();
        assertThat(sent).containsOnly("cmd-4");
    }

    @Test
    void shouldDropASignOutTheLedgerRefusesRatherThanSendItForever() {
        pending = retrying(call -> call == 1 ? unavailable()
                : Mono.just(Change.CommandResult.rejected("cmd-5", "not_found", "no such user")));

        pending.add(revokeSession(), "cmd-5", "fp", "user:7", START.plusSeconds(3600));

        await().atMost(DEADLINE).until(() -> pending.size() == 0);
        assertThat(sent).containsExactly("cmd-5", "cmd-5");
    }

    @Test
    void shouldForgetASignOutConfirmedThroughAnotherRequest() {
        pending = retrying(call -> unavailable());
        pending.add(revokeSession(), "cmd-6", "fp", "user:7", START.plusSeconds(3600));
        pending.add(revokeSession(), "cmd-6", "fp", "user:7", START.plusSeconds(3600));
        assertThat(gauge()).isEqualTo(1.0);

        pending.confirmed("cmd-6");

        assertThat(gauge()).isZero();
    }

    @Test
    void shouldKeepNoMoreThanTheConfiguredNumberPending() {
        pending = new PendingRevocations((c, id, fp, actor) -> unavailable(), clock,
                new RevocationRetryProperties(Duration.ofMinutes(1), Duration.ofMinutes(1), 1), meters);

        assertThat(pending.add(revokeSession(), "a", "fp", "user:7", START.plusSeconds(60))).isTrue();
        assertThat(pending.add(revokeSession(), "b", "fp", "user:7", START.plusSeconds(60))).isFalse();

        assertThat(gauge()).isEqualTo(1.0);
    }

    private PendingRevocations retrying(IntFunction<Mono<Change.CommandResult>> ledger) {
        AtomicInteger calls = new AtomicInteger();
        return new PendingRevocations((command, id, fingerprint, actor) -> {
            sent.add(id);
            return ledger.apply(calls.incrementAndGet());
        }, clock, new RevocationRetryProperties(Duration.ofMillis(10), Duration.ofMillis(40), 100), meters);
    }

    private double gauge() {
        return meters.get(PendingRevocations.GAUGE).gauge().value();
    }

    private static Command revokeSession() {
        return new Command.RevokeSession(7, "session-1", START.plusSeconds(3600));
    }

    private static Mono<Change.CommandResult> ok() {
        return Mono.just(Change.CommandResult.ok("cmd", "user", "7", 0));
    }

    private static Mono<Change.CommandResult> unavailable() {
        return Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable", "not in time"));
    }

    /** A clock a test moves by hand. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
