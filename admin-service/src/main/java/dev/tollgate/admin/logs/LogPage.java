package dev.tollgate.admin.logs;

import java.util.List;

/**
 * A page of the request log: the list shape ({@code items, page, size, total}) plus {@code totalCapped}. Counting
 * every match of a broad filter costs a scan of millions of rows, so the count stops at {@link #COUNT_CAP}: then
 * {@code total} is the cap and {@code totalCapped} says there are more.
 */
public record LogPage(List<LogView> items, int page, int size, long total, boolean totalCapped) {

    public static final long COUNT_CAP = 10_000;

    public LogPage {
        items = List.copyOf(items);
    }

    /** {@code counted}: what the count found, stopping at {@code COUNT_CAP + 1} (more than the cap). */
    static LogPage of(List<LogView> items, int page, int size, long counted) {
        return new LogPage(items, page, size, Math.min(counted, COUNT_CAP), counted > COUNT_CAP);
    }
}
