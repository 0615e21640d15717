package dev.tollgate.ledger.retention;

import java.time.LocalDate;

/**
 * One RANGE partition of the request log as information_schema describes it. {@code upperToDays} is
 * its exclusive bound as a TO_DAYS number; null for the MAXVALUE partition.
 */
public record LogPartition(String name, Long upperToDays) {

    /** TO_DAYS('1970-01-01'): MySQL counts days from year 0, Java from the epoch. */
    static final long TO_DAYS_EPOCH = 719_528;

    static long toDays(LocalDate day) {
        return day.toEpochDay() + TO_DAYS_EPOCH;
    }

    static LocalDate fromToDays(long toDays) {
        return LocalDate.ofEpochDay(toDays - TO_DAYS_EPOCH);
    }

    /** A partition holding the rows of {@code day} (and, if it is the first, older ones) is named after it. */
    static String nameFor(LocalDate day) {
        return "p" + day.toString().replace("-", "");
    }

    public boolean bounded() {
        return upperToDays != null;
    }
}
