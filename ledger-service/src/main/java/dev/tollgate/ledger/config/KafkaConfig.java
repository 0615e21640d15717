package dev.tollgate.ledger.config;

import dev.tollgate.ledger.health.ConsumerAssignments;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Kafka wiring: two listener factories (usage in batches, commands one by one) and the outbox producer. */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    static final String USAGE_LISTENER = "usage";
    static final String COMMANDS_LISTENER = "commands";

    @Bean
    ConsumerFactory<String, byte[]> ledgerConsumerFactory(KafkaProperties kafka, LedgerProperties ledger,
            ObjectProvider<MeterRegistry> meterRegistry) {
        DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(
                consumerProperties(kafka, ledger));
        // The clients' own metrics, consumer lag per partition among them (kafka_consumer_fetch_manager_records_lag).
        meterRegistry.ifAvailable(registry -> factory.addListener(new ConsumerMetricsListener<>(registry)));
        return factory;
    }

    static Map<String, Object> consumerProperties(KafkaProperties kafka, LedgerProperties ledger) {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.putAll(ledger.kafka().authProperties());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Offsets are committed by the container after the DB transaction, never in the background.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /**
     * Usage: a whole poll is one DB transaction; the batch is acknowledged only after it commits. Several consumers
     * ({@code tollgate.usage.concurrency}, at most one per partition) let one batch's commit wait overlap another's
     * work: events are keyed by user, so two consumers never write the same user's rows. One by default: on a
     * 2-core machine with MariaDB beside it, 3 applied 8,381 events/s against 8,335 for 1 (the database is the limit),
     * so the extra consumers only add lock contention there; raise it where the database has cores to spare.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> usageListenerFactory(
            ConsumerFactory<String, byte[]> ledgerConsumerFactory, ConsumerAssignments assignments,
            @Value("${tollgate.usage.concurrency:1}") int concurrency) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(ledgerConsumerFactory);
        factory.setConcurrency(Math.max(1, concurrency));
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        factory.getContainerProperties().setConsumerRebalanceListener(rebalanceListener(assignments, USAGE_LISTENER));
        factory.setCommonErrorHandler(retryForever());
        return factory;
    }

    /** Commands: one record at a time, each in its own transaction, acknowledged after it. */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> commandListenerFactory(
            ConsumerFactory<String, byte[]> ledgerConsumerFactory, ConsumerAssignments assignments) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(ledgerConsumerFactory);
        factory.setBatchListener(false);
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.getContainerProperties().setConsumerRebalanceListener(rebalanceListener(assignments, COMMANDS_LISTENER));
        factory.setCommonErrorHandler(retryForever());
        return factory;
    }

    /** The outbox publisher's producer: idempotent, acks from all replicas, bounded blocking when Kafka is down. */
    @Bean(destroyMethod = "close")
    KafkaProducer<String, byte[]> outboxProducer(KafkaProperties kafka, LedgerProperties ledger) {
        return new KafkaProducer<>(producerProperties(kafka, ledger));
    }

    static Map<String, Object> producerProperties(KafkaProperties kafka, LedgerProperties ledger) {
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.putAll(ledger.kafka().authProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tollgate-ledger-outbox");
        return props;
    }

    /**
     * A failed batch or command (DB down, deadlock) is retried with backoff, never skipped: skipping loses
     * money. Only failures a retry may cure get here; a usage record that fails by itself every time is
     * dead-lettered by the applier, so it cannot stall its partition.
     */
    private static DefaultErrorHandler retryForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return new DefaultErrorHandler(backOff);
    }

    private static ConsumerAwareRebalanceListener rebalanceListener(ConsumerAssignments assignments, String name) {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                // The consumer's whole assignment: with cooperative rebalancing the callback names only the new ones.
                assignments.assigned(name, consumer, consumer.assignment().size());
            }
        };
    }
}
