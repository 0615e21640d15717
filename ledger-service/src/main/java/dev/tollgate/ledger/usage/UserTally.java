package dev.tollgate.ledger.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one batch charges one user: the rows, the sum, per key spend, per relay highest sequence. */
final class UserTally {

    private final long userId;
    private long sumMicros;
    private final List<ChargedUsage> rows = new ArrayList<>();
    private final Map<Long, Long> keySpend = new TreeMap<>();
    private final Map<String, Long> relaySeqs = new TreeMap<>();

    UserTally(long userId) {
        this.userId = userId;
    }

    /**
     * Adds one charged request, unless the user's sum or its key's spend would overflow a
     * {@code long}: then nothing changes and the answer is false (the caller dead-letters it).
     */
    boolean tryAdd(ChargedUsage charged) {
        long keyId = charged.event().keyId();
        long newSum;
        long newKeySpend;
        try {
            newSum = Math.addExact(sumMicros, charged.costMicros());
            newKeySpend = Math.addExact(keySpend.getOrDefault(keyId, 0L), charged.costMicros());
        } catch (ArithmeticException overflow) {
            return false;
        }
        sumMicros = newSum;
        keySpend.put(keyId, newKeySpend);
        rows.add(charged);
        String relayId = charged.event().relayId();
        if (relayId != null && !relayId.isEmpty()) {
            relaySeqs.merge(relayId, charged.event().relaySeq(), Math::max);
        }
        return true;
    }

    long userId() {
        return userId;
    }

    long sumMicros() {
        return sumMicros;
    }

    int requests() {
        return rows.size();
    }

    /** The requests added, in arrival order. */
    List<ChargedUsage> rows() {
        return rows;
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
