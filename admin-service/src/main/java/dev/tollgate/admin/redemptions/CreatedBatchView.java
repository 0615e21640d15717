package dev.tollgate.admin.redemptions;

import java.time.Instant;
import java.util.List;

/** The answer to creating a batch: the only place the codes themselves are ever shown. */
public record CreatedBatchView(String name, long amountMicros, int count, Instant expiresAt, List<String> codes) {

    public CreatedBatchView {
        codes = List.copyOf(codes);
    }

    @Override
    public String toString() {
        return "CreatedBatchView[name=" + name + ", count=" + count + "]";
    }
}
