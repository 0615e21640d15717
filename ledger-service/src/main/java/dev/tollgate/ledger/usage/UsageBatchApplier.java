package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.ledger.journal.Balance;
import dev.tollgate.ledger.journal.JournalKind;
import dev.tollgate.ledger.journal.JournalRepository;
import dev.tollgate.ledger.outbox.OutboxWriter;
import dev.tollgate.ledger.pricing.PriceCatalog;
import dev.tollgate.ledger.pricing.PriceCatalogLoader;
import dev.tollgate.ledger.retention.LogRetentionProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one poll of usage records in ONE transaction: dead letters for the unreadable and the
 * unchargeable, dedupe by {@code (day, requestId)}, prices read for this batch, one balance update
 * and one journal entry per user charged (ascending user id, so concurrent writers never deadlock),
 * key spend, relay sequences, the request log and its hourly rollups, the bodies of requests whose key
 * captures them, and a BalanceChanged per user charged in the outbox.
 */
@Component
public class UsageBatchApplier {

    private static final Logger log = LoggerFactory.getLogger(UsageBatchApplier.class);

    private final TransactionTemplate tx;
    private final UsageRepository usage;
    private final CapturedBodyRepository bodies;
    private final JournalRepository journal;
    private final PriceCatalogLoader prices;
    private final OutboxWriter outbox;
    private final Topics topics;
    private final Clock clock;
    private final int retentionDays;

    UsageBatchApplier(TransactionTemplate tx, UsageRepository usage, CapturedBodyRepository bodies,
            JournalRepository journal, PriceCatalogLoader prices, OutboxWriter outbox, Topics topics, Clock clock,
            LogRetentionProperties retention) {
        this.tx = tx;
        this.retentionDays = retention.retentionDays();
        this.usage = usage;
        this.bodies = bodies;
        this.journal = journal;
        this.prices = prices;
        this.outbox = outbox;
        this.topics = topics;
        this.clock = clock;
    }

    /**
     * The oldest day whose request-log partition is certainly still there. An older event may have lost
     * its dedupe row with a dropped partition, so applying it could charge it twice: it goes to the DLQ.
     */
    private LocalDate oldestDedupableDay(Instant now) {
        return UsageKey.dayOf(now).minusDays(retentionDays);
    }

    /**
     * Applies the batch. A failure a retry may cure (database down, deadlock) throws and commits
     * nothing, so the batch is redelivered. A failure the same record meets every time (see
     * {@link UsageFailures}) makes the batch go again a record at a time, and the record that fails
     * on its own goes to the DLQ: one poison event must not stall its partition.
     */
    public BatchSummary apply(List<byte[]> records) {
        try {
            return tx.execute(status -> applyInTransaction(records));
        } catch (RuntimeException e) {
            if (!UsageFailures.isDeterministic(e)) {
                throw e;
            }
            log.warn("Usage batch of {} record(s) failed ({}): applying them one at a time", records.size(),
                    UsageFailures.describe(e));
            return applyOneAtATime(records);
        }
    }

    private BatchSummary applyOneAtATime(List<byte[]> records) {
        BatchSummary total = new BatchSummary("one-at-a-time", 0, 0, 0, 0, 0, 0);
        for (byte[] record : records) {
            total = total.plus(applyAlone(record));
        }
        return total;
    }

    private BatchSummary applyAlone(byte[] record) {
        try {
            return tx.execute(status -> applyInTransaction(Collections.singletonList(record)));
        } catch (RuntimeException e) {
            if (!UsageFailures.isDeterministic(e)) {
                throw e;
            }
            String reason = "cannot be applied: " + UsageFailures.describe(e);
            return tx.execute(status -> deadLetterAlone(record, reason));
        }
    }

    private BatchSummary deadLetterAlone(byte[] record, String reason) {
        ParsedUsage parsed = UsageParser.parse(record, clock.instant());
        deadLetter(parsed instanceof ParsedUsage.Accepted accepted ? accepted.reject(reason)
                : (ParsedUsage.Rejected) parsed);
        return new BatchSummary(UUID.randomUUID().toString(), 1, 0, 0, 1, 0, 0);
    }

    private BatchSummary applyInTransaction(List<byte[]> records) {
        String batchRef = UUID.randomUUID().toString();
        Intake intake = readNew(records);
        Map<UsageKey, ParsedUsage.Accepted> fresh = intake.fresh();
        int duplicates = intake.duplicates();
        int deadLettered = intake.deadLettered();
        if (fresh.isEmpty()) {
            return new BatchSummary(batchRef, records.size(), 0, duplicates, deadLettered, 0, 0);
        }

        PriceCatalog catalog = prices.load(BatchCharges.priceRefs(fresh.values()), BatchCharges.groups(fresh.values()));
        BatchCharges charges = BatchCharges.of(fresh.values(), catalog, batchRef);
        charges.rejected().forEach(this::deadLetter);
        deadLettered += charges.rejected().size();

        Map<Long, UserTally> tallies = charges.tallies();
        Set<Long> zeroSumUsers = new TreeSet<>();
        tallies.values().stream().filter(t -> t.sumMicros() == 0).forEach(t -> zeroSumUsers.add(t.userId()));
        Set<Long> knownZeroSumUsers = journal.existingUsers(zeroSumUsers);

        // One statement per table for the whole batch: balances, journal, key spend, relay sequences.
        Map<Long, Long> deltas = new TreeMap<>();
        tallies.values().stream().filter(t -> t.sumMicros() != 0).forEach(t -> deltas.put(t.userId(), -t.sumMicros()));
        Map<Long, Balance> balances = deltas.isEmpty() ? Map.of() : journal.moveAll(deltas);

        List<ChargedUsage> logRows = new ArrayList<>(fresh.size());
        Map<Long, UserTally> charged = new TreeMap<>();
        Map<Long, Map<String, Long>> relaySeqs = new TreeMap<>();
        List<JournalRepository.Entry> entries = new ArrayList<>(balances.size());
        int unknownUsers = 0;
        for (UserTally tally : tallies.values()) {
            boolean known = tally.sumMicros() == 0
                    // Nothing to charge (e.g. only rejected requests): no balance move, no journal entry, no
                    // new balance version, nothing announced; the requests are still logged and sequenced.
                    ? knownZeroSumUsers.contains(tally.userId())
                    : balances.containsKey(tally.userId());
            if (!known) {
                unknownUsers += logUncharged(tally, logRows);
                continue;
            }
            if (tally.sumMicros() != 0) {
                entries.add(new JournalRepository.Entry(tally.userId(), JournalKind.USAGE, -tally.sumMicros(),
                        balances.get(tally.userId()).balanceMicros(), batchRef, null, tally.requests()));
                charged.put(tally.userId(), tally);
            }
            if (!tally.relaySeqs().isEmpty()) {
                relaySeqs.put(tally.userId(), tally.relaySeqs());
            }
            logRows.addAll(tally.rows());
        }
        journal.appendAll(entries);
        Set<Long> touchedKeys = addKeySpend(charged);
        journal.raiseRelaySeqs(relaySeqs);
        usage.insertRequestLog(logRows);
        bodies.insert(logRows);
        usage.addHourly(HourlyRollups.of(logRows));
        announceBalances(charged, balances, touchedKeys);
        return new BatchSummary(batchRef, records.size(), fresh.size() - charges.rejected().size(), duplicates,
                deadLettered, charged.size(), unknownUsers);
    }

    /** The records read: the new events by dedupe key, and how many were repeats or dead-lettered. */
    private record Intake(Map<UsageKey, ParsedUsage.Accepted> fresh, int duplicates, int deadLettered) {
    }

    /** Parses the records, dead-letters the unreadable and invalid, drops repeats (in the batch or already logged). */
    private Intake readNew(List<byte[]> records) {
        Instant now = clock.instant();
        LocalDate oldest = oldestDedupableDay(now);
        Map<UsageKey, ParsedUsage.Accepted> fresh = new LinkedHashMap<>();
        int deadLettered = 0;
        int duplicates = 0;
        for (byte[] record : records) {
            ParsedUsage parsed = UsageParser.parse(record, now);
            if (parsed instanceof ParsedUsage.Rejected rejected) {
                deadLetter(rejected);
                deadLettered++;
            } else if (parsed instanceof ParsedUsage.Accepted accepted && accepted.key().day().isBefore(oldest)) {
                deadLetter(accepted.reject("older than the request-log retention of " + retentionDays
                        + " days: its dedupe row may have been dropped, so it cannot be charged exactly once"));
                deadLettered++;
            } else if (parsed instanceof ParsedUsage.Accepted accepted) {
                if (fresh.putIfAbsent(accepted.key(), accepted) != null) {
                    duplicates++;
                }
            }
        }
        Set<UsageKey> seen = fresh.isEmpty() ? Set.of() : usage.existing(fresh.keySet());
        seen.forEach(fresh::remove);
        return new Intake(fresh, duplicates + seen.size(), deadLettered);
    }

    /** Kept in the request log (not lost), but nobody to charge: no batch reference. */
    private static int logUncharged(UserTally tally, List<ChargedUsage> logRows) {
        log.warn("Usage for unknown user {}: {} request(s) logged, not charged", tally.userId(), tally.requests());
        tally.rows().forEach(c -> logRows.add(new ChargedUsage(c.event(), c.key(), c.costMicros(), null)));
        return 1;
    }

    /** Key spend of the users charged, one statement in ascending key order; returns the keys that exist. */
    private Set<Long> addKeySpend(Map<Long, UserTally> charged) {
        Map<Long, Long> keySpend = new TreeMap<>();
        charged.values().forEach(t -> t.keySpend().forEach((keyId, micros) -> keySpend.merge(keyId, micros,
                Math::addExact)));
        keySpend.values().removeIf(micros -> micros == 0);
        if (keySpend.isEmpty()) {
            return Set.of();
        }
        usage.addKeyUsageAll(keySpend);
        return keySpend.keySet();
    }

    private void deadLetter(ParsedUsage.Rejected rejected) {
        log.warn("Usage record sent to the DLQ: {}", rejected.reason());
        outbox.append(topics.usageDlq(), UsageDeadLetter.key(rejected), UsageDeadLetter.payload(rejected));
    }

    private void announceBalances(Map<Long, UserTally> charged, Map<Long, Balance> balances, Set<Long> touchedKeys) {
        if (charged.isEmpty()) {
            return;
        }
        Map<Long, Map<String, Long>> relaySeqs = journal.relaySeqs(charged.keySet());
        Map<Long, Long> used = usage.keysUsed(touchedKeys); // only keys that exist
        List<Change> announced = new ArrayList<>(charged.size());
        for (UserTally tally : charged.values()) {
            Balance balance = balances.get(tally.userId());
            Map<Long, Long> keysUsed = new HashMap<>();
            tally.keySpend().keySet().forEach(keyId -> {
                Long total = used.get(keyId);
                if (total != null) {
                    keysUsed.put(keyId, total);
                }
            });
            announced.add(new Change.BalanceChanged(tally.userId(), balance.balanceMicros(), balance.version(),
                    relaySeqs.getOrDefault(tally.userId(), Map.of()), keysUsed));
        }
        outbox.changes(announced);
    }
}
