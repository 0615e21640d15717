package dev.tollgate.ledger.usage;

/** What one applied batch did, for logs and tests. */
public record BatchSummary(String batchRef, int records, int applied, int duplicates, int deadLettered,
        int usersCharged, int unknownUsers) {
}
