package dev.tollgate.ledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Binds each ledger consumer's own Kafka metrics (consumer lag per partition among them) to Micrometer.
 * Spring's {@code MicrometerConsumerListener} does the same but looks for new client metrics only once a minute;
 * a partition's lag appears after its first fetch, so this looks every {@link #REFRESH}.
 */
final class ConsumerMetricsListener<K, V> implements ConsumerFactory.Listener<K, V> {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final Map<String, KafkaClientMetrics> bound = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tollgate-kafka-metrics");
        t.setDaemon(true);
        return t;
    });

    ConsumerMetricsListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String id, Consumer<K, V> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, Tags.of("spring.id", id), scheduler, REFRESH);
        metrics.bindTo(registry);
        KafkaClientMetrics previous = bound.put(id, metrics);
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void consumerRemoved(String id, Consumer<K, V> consumer) {
        KafkaClientMetrics metrics = bound.remove(id);
        if (metrics != null) {
            metrics.close();
        }
    }
}
