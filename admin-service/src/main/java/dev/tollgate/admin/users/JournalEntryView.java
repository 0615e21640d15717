package dev.tollgate.admin.users;

import java.time.Instant;

/** One journal entry: a credit (positive) or debit (negative) and the balance after it. */
public record JournalEntryView(long id, long userId, String kind, long amountMicros, long balanceAfterMicros,
        String note, Instant at) {
}
