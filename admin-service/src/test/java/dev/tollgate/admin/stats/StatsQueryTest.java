package dev.tollgate.admin.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.Role;
import dev.tollgate.admin.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatsQueryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-06-10T12:34:56Z"), ZoneOffset.UTC);
    private static final Caller ADMIN = new Caller(1, Role.ADMIN);
    private static final Caller CUSTOMER = new Caller(42, Role.CUSTOMER);

    @Test
    void shouldDefaultToTheLastSevenDaysOnWholeHoursWhenNoRangeIsGiven() {
        StatsQuery q = StatsQuery.of(ADMIN, CLOCK, null, null, null, null, null, null, null);

        assertThat(q.to()).isEqualTo(Instant.parse("2030-06-10T13:00:00Z"));
        assertThat(q.from()).isEqualTo(Instant.parse("2030-06-03T13:00:00Z"));
        assertThat(q.groupBy()).isEqualTo(StatsQuery.GroupBy.DAY);
    }

    @Test
    void shouldPinACustomerToThemselvesWhenTheyNameAnotherUserOrChannel() {
        StatsQuery q = StatsQuery.of(CUSTOMER, CLOCK, null, null, "model", 7L, 3L, "gpt-4o", 9L);

        assertThat(q.userId()).isEqualTo(42);
        assertThat(q.channelId()).isNull();
        assertThat(q.keyId()).isEqualTo(3);
    }

    @Test
    void shouldRefuseGroupingsACustomerMayNotSee() {
        assertThatThrownBy(() -> StatsQuery.of(CUSTOMER, CLOCK, null, null, "user", null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("forbidden"));
        assertThatThrownBy(() -> StatsQuery.of(CUSTOMER, CLOCK, null, null, "channel", null, null, null, null))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void shouldWidenTheRangeToWholeHoursAndRefuseAnEmptyOrHugeOne() {
        StatsQuery q = StatsQuery.of(ADMIN, CLOCK, "2030-01-01T10:20:00Z", "2030-01-01T11:05:00Z", "hour", null,
                null, null, null);
        assertThat(q.from()).isEqualTo(Instant.parse("2030-01-01T10:00:00Z"));
        assertThat(q.to()).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));

        assertThatThrownBy(() -> StatsQuery.of(ADMIN, CLOCK, "2030-01-02T00:00:00Z", "2030-01-01T00:00:00Z", null,
                null, null, null, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> StatsQuery.of(ADMIN, CLOCK, "2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z", null,
                null, null, null, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> StatsQuery.of(ADMIN, CLOCK, "yesterday", null, null, null, null, null, null))
                .isInstanceOf(ApiException.class);
    }
}
