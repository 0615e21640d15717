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
        tally.add(charged("a", "r1", 5, 10, 100));
        tally.add(charged("b", "r1", 3, 11, 50));
        tally.add(charged("c", "r2", 9, 10, 1));
        assertThat(tally.sumMicros()).isEqualTo(151);
        assertThat(tally.requests()).isEqualTo(3);
        assertThat(tally.relaySeqs()).isEqualTo(Map.of("r1", 5L, "r2", 9L));
        assertThat(tally.keySpend()).isEqualTo(Map.of(10L, 101L, 11L, 50L));
    }
}
