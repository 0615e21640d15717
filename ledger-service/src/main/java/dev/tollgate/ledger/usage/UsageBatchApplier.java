package dev.tollgate.ledger.usage;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.ledger.journal.Balance;
import dev.tollgate.ledger.journal.JournalKind;
import dev.tollgate.ledger.journal.JournalRepository;
import dev.tollgate.ledger.outbox.OutboxWriter;
import dev.tollgate.ledger.pricing.PriceBook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies one poll of usage records in ONE transaction: dead letters for the unreadable, dedupe by
 * {@code (day, requestId)}, one balance update and one journal entry per user (ascending user id,
 * so concurrent writers never deadlock), key spend, relay sequences, the request log, and a
 * BalanceChanged per user in the outbox.
 */
@Component
public class UsageBatchApplier {

    private static final Logger log = LoggerFactory.getLogger(UsageBatchApplier.class);

    private final TransactionTemplate tx;
    private final UsageRepository usage;
    private final JournalRepository journal;
    private final PriceBook prices;
    private final OutboxWriter outbox;
    private final Topics topics;

    UsageBatchApplier(TransactionTemplate tx, UsageRepository usage, JournalRepository journal, PriceBook prices,
            OutboxWriter outbox, Topics topics) {
        this.tx = tx;
        this.usage = usage;
        this.journal = journal;
        this.prices = prices;
        this.outbox = outbox;
        this.topics = topics;
    }

    /** Applies the batch; throws (and commits nothing) when the database fails, so the batch is redelivered. */
    public BatchSummary apply(List<byte[]> records) {
        return tx.execute(status -> applyInTransaction(records));
    }

    private BatchSummary applyInTransaction(List<byte[]> records) {
        String batchRef = UUID.randomUUID().toString();
        Map<UsageKey, UsageEvent> fresh = new LinkedHashMap<>();
        int deadLettered = 0;
        int duplicates = 0;
        for (byte[] record : records) {
            ParsedUsage parsed = UsageParser.parse(record);
            if (parsed instanceof ParsedUsage.Rejected rejected) {
                log.warn("Usage record sent to the DLQ: {}", rejected.reason());
                outbox.append(topics.usageDlq(), UsageDeadLetter.key(rejected), UsageDeadLetter.payload(rejected));
                deadLettered++;
            } else if (parsed instanceof ParsedUsage.Accepted accepted) {
                if (fresh.putIfAbsent(accepted.key(), accepted.event()) != null) {
                    duplicates++;
                }
            }
        }
        Set<UsageKey> seen = fresh.isEmpty() ? Set.of() : usage.existing(fresh.keySet());
        duplicates += seen.size();
        seen.forEach(fresh::remove);
        if (fresh.isEmpty()) {
            return new BatchSummary(batchRef, records.size(), 0, duplicates, deadLettered, 0, 0);
        }

        Map<Long, List<ChargedUsage>> byUser = new TreeMap<>();
        for (Map.Entry<UsageKey, UsageEvent> e : fresh.entrySet()) {
            UsageEvent event = e.getValue();
            long cost = prices.costOf(event);
            byUser.computeIfAbsent(event.userId(), u -> new ArrayList<>())
                    .add(new ChargedUsage(event, e.getKey(), cost, batchRef));
        }

        List<ChargedUsage> logRows = new ArrayList<>(fresh.size());
        Map<Long, UserTally> charged = new TreeMap<>();
        Map<Long, Balance> balances = new HashMap<>();
        Map<Long, Long> keySpend = new TreeMap<>();
        int unknownUsers = 0;
        for (Map.Entry<Long, List<ChargedUsage>> entry : byUser.entrySet()) {
            long userId = entry.getKey();
            UserTally tally = new UserTally(userId);
            entry.getValue().forEach(tally::add);
            Optional<Balance> balance = journal.move(userId, -tally.sumMicros());
            if (balance.isEmpty()) {
                // Kept in the request log (not lost), but nobody to charge: no batch reference.
                log.warn("Usage for unknown user {}: {} request(s) logged, not charged", userId, tally.requests());
                unknownUsers++;
                entry.getValue().forEach(c -> logRows.add(new ChargedUsage(c.event(), c.key(), c.costMicros(), null)));
                continue;
            }
            journal.append(userId, JournalKind.USAGE, -tally.sumMicros(), balance.get().balanceMicros(), batchRef,
                    null, tally.requests());
            charged.put(userId, tally);
            balances.put(userId, balance.get());
            tally.keySpend().forEach((keyId, micros) -> keySpend.merge(keyId, micros, Math::addExact));
            logRows.addAll(entry.getValue());
        }
        Set<Long> touchedKeys = new TreeSet<>();
        keySpend.forEach((keyId, micros) -> {
            if (usage.addKeyUsage(keyId, micros)) {
                touchedKeys.add(keyId);
            }
        });
        charged.values().forEach(t -> t.relaySeqs().forEach((relay, seq) -> journal.raiseRelaySeq(t.userId(), relay, seq)));
        usage.insertRequestLog(logRows);
        announceBalances(charged, balances, touchedKeys);
        return new BatchSummary(batchRef, records.size(), fresh.size(), duplicates, deadLettered, charged.size(),
                unknownUsers);
    }

    private void announceBalances(Map<Long, UserTally> charged, Map<Long, Balance> balances, Set<Long> touchedKeys) {
        if (charged.isEmpty()) {
            return;
        }
        Map<Long, Map<String, Long>> relaySeqs = journal.relaySeqs(charged.keySet());
        Map<Long, Long> used = usage.keysUsed(touchedKeys);
        for (UserTally tally : charged.values()) {
            Balance balance = balances.get(tally.userId());
            Map<Long, Long> keysUsed = new HashMap<>();
            tally.keySpend().keySet().forEach(keyId -> {
                Long total = used.get(keyId);
                if (total != null) {
                    keysUsed.put(keyId, total);
                }
            });
            outbox.change(new Change.BalanceChanged(tally.userId(), balance.balanceMicros(), balance.version(),
                    relaySeqs.getOrDefault(tally.userId(), Map.of()), keysUsed));
        }
    }
}
