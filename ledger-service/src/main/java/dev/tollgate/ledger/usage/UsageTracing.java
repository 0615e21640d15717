package dev.tollgate.ledger.usage;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Continues each relay request's trace into the ledger. A poll is applied as one transaction, so the work is one
 * span per batch ({@code ledger apply batch}, a root: a batch mixes many requests) and, for every record whose
 * headers carry a W3C {@code traceparent}, a {@code ledger apply} span in that request's trace, timed as the
 * batch (its apply was that transaction) and linked to the batch span. Child spans rather than links on the batch
 * span because a request's trace must reach its charge (a trace viewer follows children, and a span keeps only
 * 128 links while a batch holds up to 5,000 records). The record spans are made after the commit, from the batch's
 * start and end: nothing is held open per record. With tracing off every call returns at its first check.
 */
@Component
public class UsageTracing {

    /** The W3C trace context header the relay writes on usage records. */
    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;
    private final boolean enabled;

    @Autowired
    UsageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    UsageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.enabled = tracer != Tracer.NOOP && propagator != Propagator.NOOP;
    }

    /** Starts a poll's span and puts it in scope (log lines then carry its traceId and spanId). */
    Batch start(List<ConsumerRecord<String, byte[]>> records) {
        if (!enabled) {
            return Batch.NONE;
        }
        long startMillis = System.currentTimeMillis();
        Span span = tracer.spanBuilder()
                .setNoParent()
                .name("ledger apply batch")
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.batch.message_count", Integer.toString(records.size()))
                .startTimestamp(startMillis, TimeUnit.MILLISECONDS)
                .start();
        return new Batch(this, records, span, tracer.withSpan(span), startMillis);
    }

    /** One poll's tracing; {@link #close} ends it, after {@link #applied} or {@link #failed}. */
    static final class Batch implements AutoCloseable {

        static final Batch NONE = new Batch(null, List.of(), null, null, 0);

        private final UsageTracing tracing;
        private final List<ConsumerRecord<String, byte[]>> records;
        private final Span span;
        private final Tracer.SpanInScope scope;
        private final long startMillis;
        private boolean applied;

        private Batch(UsageTracing tracing, List<ConsumerRecord<String, byte[]>> records, Span span,
                Tracer.SpanInScope scope, long startMillis) {
            this.tracing = tracing;
            this.records = records;
            this.span = span;
            this.scope = scope;
            this.startMillis = startMillis;
        }

        void applied(BatchSummary summary) {
            if (span == null) {
                return;
            }
            applied = true;
            span.tag("tollgate.batch.ref", String.valueOf(summary.batchRef()));
            span.tag("tollgate.batch.applied", Integer.toString(summary.applied()));
            span.tag("tollgate.batch.duplicates", Integer.toString(summary.duplicates()));
            span.tag("tollgate.batch.dead_lettered", Integer.toString(summary.deadLettered()));
        }

        void failed(Throwable error) {
            if (span != null) {
                span.error(error);
            }
        }

        @Override
        public void close() {
            if (span == null) {
                return;
            }
            scope.close();
            long endMillis = System.currentTimeMillis();
            if (applied) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    tracing.recordSpan(record, span, startMillis, endMillis);
                }
            }
            span.end(endMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void recordSpan(ConsumerRecord<String, byte[]> record, Span batch, long startMillis, long endMillis) {
        if (record.headers().lastHeader(TRACEPARENT) == null) {
            return;
        }
        Span span = propagator.extract(record, UsageTracing::header)
                .name("ledger apply")
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.destination.name", record.topic())
                .tag("messaging.kafka.destination.partition", Integer.toString(record.partition()))
                .tag("messaging.kafka.message.offset", Long.toString(record.offset()))
                .addLink(new Link(batch))
                .startTimestamp(startMillis, TimeUnit.MILLISECONDS)
                .start();
        span.end(endMillis, TimeUnit.MILLISECONDS);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
    }
}
