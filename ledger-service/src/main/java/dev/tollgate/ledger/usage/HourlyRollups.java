package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch's request-log rows summed per hour, user, key, model and channel, in the primary key's
 * order: upserted in that fixed order, concurrent batches lock rows in the same order (no deadlocks).
 */
final class HourlyRollups {

    /** The usage_hourly primary key; model '' and channel 0 stand for none. */
    record Key(LocalDateTime hour, long userId, long keyId, String model, long channelId) {
    }

    /** Sums for one key. */
    static final class Sums {
        long requests;
        long inputTokens;
        long cacheReadTokens;
        long cacheWriteTokens;
        long outputTokens;
        long reasoningTokens;
        long costMicros;
        long errors;
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::hour)
            .thenComparingLong(Key::userId)
            .thenComparingLong(Key::keyId)
            .thenComparing(Key::model)
            .thenComparingLong(Key::channelId);

    private final Map<Key, Sums> sums = new TreeMap<>(ORDER);

    private HourlyRollups() {
    }

    static HourlyRollups of(Collection<ChargedUsage> rows) {
        HourlyRollups rollups = new HourlyRollups();
        rows.forEach(rollups::add);
        return rollups;
    }

    private void add(ChargedUsage row) {
        UsageEvent e = row.event();
        Sums s = sums.computeIfAbsent(keyOf(e), k -> new Sums());
        s.requests++;
        s.inputTokens += e.inputTokens();
        s.cacheReadTokens += e.cacheReadTokens();
        s.cacheWriteTokens += e.cacheWriteTokens();
        s.outputTokens += e.outputTokens();
        s.reasoningTokens += e.reasoningTokens();
        s.costMicros += row.costMicros();
        if (isError(e.status())) {
            s.errors++;
        }
    }

    /** The hour of the row's {@code at} (what the request log stores), UTC. */
    static Key keyOf(UsageEvent e) {
        LocalDateTime at = UsageRepository.utc(UsageRepository.loggedAt(e)).truncatedTo(ChronoUnit.HOURS);
        return new Key(at, e.userId(), e.keyId(), e.modelAsked() == null ? "" : e.modelAsked(),
                e.channelId() == null ? 0 : e.channelId());
    }

    /** Requests that failed upstream or were refused; a client hanging up is not an error. */
    static boolean isError(UsageStatus status) {
        return status == UsageStatus.UPSTREAM_ERROR || status == UsageStatus.REJECTED;
    }

    /** Key → sums, in primary key order. */
    Map<Key, Sums> sums() {
        return sums;
    }
}
