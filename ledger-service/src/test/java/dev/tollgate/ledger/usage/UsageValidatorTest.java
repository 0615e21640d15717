package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageValidatorTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private static UsageEvent.Builder valid() {
        return UsageEvent.builder().requestId("0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").relayId("relay-a").relaySeq(1)
                .keyId(3).userId(5).modelAsked("gpt-x").tokens(TokenUsage.ofTokens(10, 20)).finishedAt(NOW);
    }

    @Test
    void shouldAcceptWhenEventIsValid() {
        assertThat(UsageValidator.problem(valid().build(), NOW)).isEmpty();
    }

    @Test
    void shouldRejectWhenTimeIsBeyondTimestampRange() {
        UsageEvent in2040 = valid().finishedAt(Instant.parse("2040-01-01T00:00:00Z")).build();
        assertThat(UsageValidator.problem(in2040, Instant.parse("2040-01-01T00:00:00Z")))
                .hasValueSatisfying(p -> assertThat(p).startsWith("at ").contains("storable range"));
    }

    @Test
    void shouldRejectWhenTimeIsBeforeTimestampRange() {
        UsageEvent epoch = valid().finishedAt(Instant.parse("1970-01-01T00:00:01Z")).build();
        assertThat(UsageValidator.problem(epoch, NOW)).hasValueSatisfying(p -> assertThat(p).contains("storable range"));
    }

    @Test
    void shouldRejectWhenStartedAtIsOutOfRangeEvenIfFinishedAtIsFine() {
        UsageEvent started = valid().startedAt(Instant.parse("1960-01-01T00:00:00Z")).build();
        assertThat(UsageValidator.problem(started, NOW)).hasValueSatisfying(p -> assertThat(p).startsWith("startedAt"));
    }

    @Test
    void shouldRejectWhenTimeIsMoreThanADayAhead() {
        UsageEvent ahead = valid().finishedAt(NOW.plus(Duration.ofHours(25))).build();
        assertThat(UsageValidator.problem(ahead, NOW)).hasValueSatisfying(p -> assertThat(p).contains("future"));
        assertThat(UsageValidator.problem(valid().finishedAt(NOW.plus(Duration.ofHours(23))).build(), NOW)).isEmpty();
    }

    @Test
    void shouldRejectWhenATokenCountIsAboveATrillion() {
        UsageEvent absurd = valid().tokens(new TokenUsage(0, 0, 1_000_000_000_001L, 0, 0, 0, 0, 0)).build();
        assertThat(UsageValidator.problem(absurd, NOW)).hasValueSatisfying(p -> assertThat(p).contains("cacheWriteTokens"));
        UsageEvent trillion = valid().tokens(TokenUsage.ofTokens(1_000_000_000_000L, 0)).build();
        assertThat(UsageValidator.problem(trillion, NOW)).isEmpty();
    }

    @Test
    void shouldRejectWhenUnitCountIsAboveATrillion() {
        UsageEvent absurd = valid().tokens(TokenUsage.NONE.withRequests(Long.MAX_VALUE)).build();
        assertThat(UsageValidator.problem(absurd, NOW)).hasValueSatisfying(p -> assertThat(p).contains("requests"));
    }

    @Test
    void shouldRejectWhenLatencyIsNegative() {
        assertThat(UsageValidator.problem(valid().latencyMs(-1).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().ttftMs(-1L).build(), NOW)).isPresent();
    }

    @Test
    void shouldRejectWhenRequestIdHasSpacesOrIsTooLong() {
        // The key column ignores trailing spaces: "r " and "r" would be one row to MySQL and two to the dedupe.
        assertThat(UsageValidator.problem(valid().requestId("r ").build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().requestId("r".repeat(41)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().requestId("r".repeat(40)).build(), NOW)).isEmpty();
    }

    @Test
    void shouldRejectWhenStringIsLongerThanItsColumn() {
        assertThat(UsageValidator.problem(valid().relayId("x".repeat(129)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().group("x".repeat(65)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().dialect("x".repeat(17)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().provider("x".repeat(33)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().errorClass("x".repeat(65)).build(), NOW)).isPresent();
        assertThat(UsageValidator.problem(valid().modelServed("x".repeat(129)).build(), NOW)).isPresent();
    }
}
