package dev.tollgate.ledger.usage;

/** What one applied batch did, for logs and tests. */
public record BatchSummary(String batchRef, int records, int applied, int duplicates, int deadLettered,
        int usersCharged, int unknownUsers) {

    /** Two summaries as one, for a batch applied a record at a time. */
    BatchSummary plus(BatchSummary other) {
        return new BatchSummary(batchRef, records + other.records, applied + other.applied,
                duplicates + other.duplicates, deadLettered + other.deadLettered, usersCharged + other.usersCharged,
                unknownUsers + other.unknownUsers);
    }
}
