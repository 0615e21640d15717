package dev.tollgate.admin.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleFromHalfASecondUpToTenSecondsWhenFailuresRepeat() {
        Backoff backoff = new Backoff(ChangesFollower.FIRST_RETRY, ChangesFollower.MAX_RETRY);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(backoff.next().toMillis());
        }

        assertThat(delays).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L);
    }

    @Test
    void shouldStartOverWhenReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        assertThat(backoff.isReset()).isTrue();
        backoff.next();
        backoff.next();
        assertThat(backoff.isReset()).isFalse();

        backoff.reset();

        assertThat(backoff.isReset()).isTrue();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldRefuseWhenBoundsAreNotOrdered() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
