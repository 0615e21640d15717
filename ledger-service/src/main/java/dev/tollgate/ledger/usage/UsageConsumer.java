package dev.tollgate.ledger.usage;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the usage topic a poll at a time. The container commits the offsets after this method
 * returns, i.e. after the batch's transaction committed; a failure redelivers the batch.
 */
@Component
class UsageConsumer {

    private static final Logger log = LoggerFactory.getLogger(UsageConsumer.class);

    private final UsageBatchApplier applier;
    private final UsageMetrics metrics;
    private final UsageTracing tracing;

    UsageConsumer(UsageBatchApplier applier, UsageMetrics metrics, UsageTracing tracing) {
        this.applier = applier;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /**
     * Bigger polls than the commands' (whose latency admins wait on): one batch costs about one statement
     * per table whatever its size, so under load a fetch waits up to 100 ms for 64 KB, bounding the added lag.
     */
    @KafkaListener(id = "ledger-usage", groupId = "tollgate-ledger", topics = "#{@topics.usage()}",
            containerFactory = "usageListenerFactory", properties = {
                    "max.poll.records=${tollgate.usage.max-poll-records:5000}",
                    "fetch.min.bytes=65536",
                    "fetch.max.wait.ms=100",
                    "max.partition.fetch.bytes=8388608"})
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<byte[]> values = records.stream().map(ConsumerRecord::value).toList();
        try (UsageTracing.Batch trace = tracing.start(records)) {
            BatchSummary summary;
            try {
                summary = metrics.timed(values.size(), () -> applier.apply(values));
            } catch (RuntimeException e) {
                // Redelivered: its requests get their "ledger apply" span from the attempt that commits.
                trace.failed(e);
                throw e;
            }
            trace.applied(summary);
            log.debug("Usage batch {}", summary);
        }
    }
}
