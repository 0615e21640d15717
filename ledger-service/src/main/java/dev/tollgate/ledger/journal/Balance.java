package dev.tollgate.ledger.journal;

/** A user's balance after a journal entry, and the balance version it reached. */
public record Balance(long userId, long balanceMicros, long version) {
}
