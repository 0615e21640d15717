package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HourlyRollupsTest {

    private static ChargedUsage row(String id, long user, String model, Long channel, String finishedAt,
            UsageStatus status, long cost) {
        UsageEvent e = UsageEvent.builder().requestId(id).userId(user).keyId(user * 10).modelAsked(model)
                .channelId(channel).tokens(new TokenUsage(100, 10, 5, 50, 7, 1, 0, 0)).status(status)
                .finishedAt(Instant.parse(finishedAt)).build();
        return new ChargedUsage(e, new UsageKey(LocalDate.of(2026, 11, 26), id), cost, "batch");
    }

    @Test
    void shouldSumRowsPerHourUserKeyModelAndChannelInKeyOrder() {
        List<ChargedUsage> rows = new ArrayList<>();
        rows.add(row("a", 2, "m1", 1L, "2026-11-26T10:59:59.999Z", UsageStatus.SUCCESS, 30));
        rows.add(row("b", 2, "m1", 1L, "2026-11-26T10:00:00Z", UsageStatus.UPSTREAM_ERROR, 0));
        rows.add(row("c", 2, "m1", 1L, "2026-11-26T11:00:00Z", UsageStatus.CANCELLED, 12));
        rows.add(row("d", 1, null, null, "2026-11-26T10:30:00Z", UsageStatus.REJECTED, 0));

        HourlyRollups rollups = HourlyRollups.of(rows);

        LocalDateTime ten = LocalDateTime.of(2026, 11, 26, 10, 0);
        assertThat(rollups.sums().keySet()).containsExactly(
                new HourlyRollups.Key(ten, 1, 10, "", 0),
                new HourlyRollups.Key(ten, 2, 20, "m1", 1),
                new HourlyRollups.Key(ten.plusHours(1), 2, 20, "m1", 1));
        HourlyRollups.Sums tenUser2 = rollups.sums().get(new HourlyRollups.Key(ten, 2, 20, "m1", 1));
        assertThat(tenUser2.requests).isEqualTo(2);
        assertThat(tenUser2.inputTokens).isEqualTo(200);
        assertThat(tenUser2.cacheReadTokens).isEqualTo(20);
        assertThat(tenUser2.cacheWriteTokens).isEqualTo(10);
        assertThat(tenUser2.outputTokens).isEqualTo(100);
        assertThat(tenUser2.reasoningTokens).isEqualTo(14);
        assertThat(tenUser2.costMicros).isEqualTo(30);
        assertThat(tenUser2.errors).as("upstream errors count, client hang-ups do not").isEqualTo(1);
        assertThat(rollups.sums().get(new HourlyRollups.Key(ten.plusHours(1), 2, 20, "m1", 1)).errors).isZero();
        assertThat(rollups.sums().get(new HourlyRollups.Key(ten, 1, 10, "", 0)).errors).isEqualTo(1);
    }
}
