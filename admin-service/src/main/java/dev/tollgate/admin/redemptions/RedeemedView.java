package dev.tollgate.admin.redemptions;

/** The answer to a redemption: the credit, the balance right after it, and its journal entry. */
public record RedeemedView(long amountMicros, long balanceAfterMicros, long journalId) {
}
