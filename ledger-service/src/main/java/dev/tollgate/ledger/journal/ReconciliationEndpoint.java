package dev.tollgate.ledger.journal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * The reconciliation command: {@code GET /actuator/reconciliation} runs {@link ReconciliationQuery} and
 * lists every difference as {@code {kind, id, expected, actual}}, expected being what the journal or
 * the request log says and actual what is materialised. Read-only; an empty list means consistent.
 */
@Component
@Endpoint(id = "reconciliation")
public class ReconciliationEndpoint {

    private final ReconciliationQuery query;
    private final Clock clock;

    ReconciliationEndpoint(ReconciliationQuery query, Clock clock) {
        this.query = query;
        this.clock = clock;
    }

    /** One value that is not what its source of truth says. */
    public record Difference(String kind, String id, long expected, long actual) {
    }

    public record Answer(Instant checkedAt, long users, long keys, List<Difference> differences) {
    }

    @ReadOperation
    public Answer reconcile() {
        Instant checkedAt = clock.instant();
        ReconciliationQuery.Report report = query.run();
        List<Difference> out = new ArrayList<>();
        for (ReconciliationQuery.BalanceDifference b : report.balances()) {
            String id = Long.toString(b.userId());
            if (b.balanceMicros() != b.journalSumMicros()) {
                out.add(new Difference("balance", id, b.journalSumMicros(), b.balanceMicros()));
            }
            if (b.balanceVersion() != b.journalEntries()) {
                out.add(new Difference("balanceVersion", id, b.journalEntries(), b.balanceVersion()));
            }
        }
        report.usage().forEach(u -> out.add(new Difference("usageJournal", Long.toString(u.userId()),
                -u.chargedRequestMicros(), u.usageJournalMicros())));
        report.keys().forEach(k -> out.add(new Difference("keySpend", Long.toString(k.keyId()),
                k.chargedRequestMicros(), k.usedMicros())));
        report.hourly().forEach(h -> addHourly(out, h));
        return new Answer(checkedAt, query.userCount(), query.keyCount(), out);
    }

    private static void addHourly(List<Difference> out, ReconciliationQuery.HourlyDifference h) {
        String id = h.hour() + "/" + h.userId() + "/" + h.keyId() + "/" + h.model() + "/" + h.channelId();
        ReconciliationQuery.HourlySums log = h.logged();
        ReconciliationQuery.HourlySums roll = h.rolledUp();
        hourly(out, "requests", id, log.requests(), roll.requests());
        hourly(out, "inputTokens", id, log.inputTokens(), roll.inputTokens());
        hourly(out, "cacheReadTokens", id, log.cacheReadTokens(), roll.cacheReadTokens());
        hourly(out, "cacheWriteTokens", id, log.cacheWriteTokens(), roll.cacheWriteTokens());
        hourly(out, "outputTokens", id, log.outputTokens(), roll.outputTokens());
        hourly(out, "reasoningTokens", id, log.reasoningTokens(), roll.reasoningTokens());
        hourly(out, "costMicros", id, log.costMicros(), roll.costMicros());
        hourly(out, "errors", id, log.errors(), roll.errors());
    }

    private static void hourly(List<Difference> out, String measure, String id, long expected, long actual) {
        if (expected != actual) {
            out.add(new Difference("hourly." + measure, id, expected, actual));
        }
    }
}
