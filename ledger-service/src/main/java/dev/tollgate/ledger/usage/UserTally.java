package dev.tollgate.ledger.usage;

import java.util.Map;
import java.util.TreeMap;

/** What one batch charges one user: the sum, the count, per key spend, per relay highest sequence. */
final class UserTally {

    private final long userId;
    private long sumMicros;
    private int requests;
    private final Map<Long, Long> keySpend = new TreeMap<>();
    private final Map<String, Long> relaySeqs = new TreeMap<>();

    UserTally(long userId) {
        this.userId = userId;
    }

    void add(ChargedUsage charged) {
        sumMicros = Math.addExact(sumMicros, charged.costMicros());
        requests++;
        keySpend.merge(charged.event().keyId(), charged.costMicros(), Math::addExact);
        String relayId = charged.event().relayId();
        if (relayId != null && !relayId.isEmpty()) {
            relaySeqs.merge(relayId, charged.event().relaySeq(), Math::max);
        }
    }

    long userId() {
        return userId;
    }

    long sumMicros() {
        return sumMicros;
    }

    int requests() {
        return requests;
    }

    /** Key id → micros this batch, ascending key id. */
    Map<Long, Long> keySpend() {
        return keySpend;
    }

    /** Relay id → highest sequence in this batch. */
    Map<String, Long> relaySeqs() {
        return relaySeqs;
    }
}
