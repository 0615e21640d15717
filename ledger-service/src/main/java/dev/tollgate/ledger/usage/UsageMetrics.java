package dev.tollgate.ledger.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** How the usage consumer keeps up: batch sizes, the time to apply one, and what became of their records. */
@Component
class UsageMetrics {

    static final String BATCH_APPLY = "tollgate.ledger.batch.apply";
    static final String BATCH_SIZE = "tollgate.ledger.batch.size";
    static final String RECORDS = "tollgate.ledger.usage.records";
    static final String DLQ = "tollgate.ledger.usage.dlq";

    private final Timer apply;
    private final DistributionSummary size;
    private final Counter applied;
    private final Counter duplicates;
    private final Counter deadLettered;

    UsageMetrics(MeterRegistry registry) {
        apply = Timer.builder(BATCH_APPLY)
                .description("Time to apply one usage batch (its transaction, and any one-at-a-time retry)")
                .publishPercentileHistogram()
                .register(registry);
        size = DistributionSummary.builder(BATCH_SIZE)
                .description("Usage events per batch")
                .baseUnit("events")
                .publishPercentileHistogram()
                .maximumExpectedValue(10_000.0)
                .register(registry);
        applied = records(registry, "applied");
        duplicates = records(registry, "duplicate");
        deadLettered = Counter.builder(DLQ)
                .description("Usage events sent to the dead-letter topic")
                .register(registry);
    }

    private static Counter records(MeterRegistry registry, String outcome) {
        return Counter.builder(RECORDS)
                .description("Usage events read, by what the ledger did with them")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Applies a batch under the timer; a batch that throws (to be redelivered) is timed too. */
    BatchSummary timed(int records, Supplier<BatchSummary> work) {
        size.record(records);
        BatchSummary summary = apply.record(work);
        applied.increment(summary.applied());
        duplicates.increment(summary.duplicates());
        deadLettered.increment(summary.deadLettered());
        return summary;
    }
}
