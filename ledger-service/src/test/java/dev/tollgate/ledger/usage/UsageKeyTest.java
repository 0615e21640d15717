package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class UsageKeyTest {

    @Test
    void shouldTakeDayFromEventTimeInUtcWhenNearMidnight() {
        UsageEvent event = UsageEvent.builder().requestId("r1").finishedAt(Instant.parse("2026-03-01T23:59:59.900Z"))
                .build();
        assertThat(UsageKey.of(event)).isEqualTo(new UsageKey(LocalDate.of(2026, 3, 1), "r1"));
    }

    @Test
    void shouldGiveSameKeyWhenEventIsRedeliveredLater() {
        UsageEvent event = UsageEvent.builder().requestId("r2").finishedAt(Instant.parse("2026-03-02T00:00:00.001Z"))
                .build();
        assertThat(UsageKey.of(event)).isEqualTo(UsageKey.of(event.withRelaySeq(99)));
        assertThat(UsageKey.of(event).day()).isEqualTo(LocalDate.of(2026, 3, 2));
    }
}
