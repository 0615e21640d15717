package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserTallyTest {

    private static ChargedUsage charged(String id, String relay, long seq, long key, long cost) {
        UsageEvent e = UsageEvent.builder().requestId(id).relayId(relay).relaySeq(seq).keyId(key).userId(1).build();
        return new ChargedUsage(e, UsageKey.of(e), cost, "b");
    }

    @Test
    void shouldSumCostsAndKeepHighestSeqPerRelayWhenEventsArriveOutOfOrder() {
        UserTally tally = new UserTally(1);
        assertThat(tally.tryAdd(charged("a", "r1", 5, 10, 100))).isTrue();
        assertThat(tally.tryAdd(charged("b", "r1", 3, 11, 50))).isTrue();
        assertThat(tally.tryAdd(charged("c", "r2", 9, 10, 1))).isTrue();
        assertThat(tally.sumMicros()).isEqualTo(151);
        assertThat(tally.requests()).isEqualTo(3);
        assertThat(tally.relaySeqs()).isEqualTo(Map.of("r1", 5L, "r2", 9L));
        assertThat(tally.keySpend()).isEqualTo(Map.of(10L, 101L, 11L, 50L));
    }

    @Test
    void shouldRefuseAndStayUnchangedWhenSumWouldOverflow() {
        UserTally tally = new UserTally(1);
        assertThat(tally.tryAdd(charged("a", "r1", 1, 10, Long.MAX_VALUE - 5))).isTrue();

        assertThat(tally.tryAdd(charged("b", "r1", 2, 11, 6))).isFalse();

        assertThat(tally.sumMicros()).isEqualTo(Long.MAX_VALUE - 5);
        assertThat(tally.requests()).isEqualTo(1);
        assertThat(tally.relaySeqs()).isEqualTo(Map.of("r1", 1L));
        assertThat(tally.keySpend()).isEqualTo(Map.of(10L, Long.MAX_VALUE - 5));
        assertThat(tally.tryAdd(charged("c", "r1", 3, 10, 5))).isTrue();
    }
}
