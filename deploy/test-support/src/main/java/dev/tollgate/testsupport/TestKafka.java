package dev.tollgate.testsupport;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.HexFormat;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One Kafka broker per test JVM, shared by all test classes; each class isolates itself with
 * {@link #uniquePrefix()} as its services' topic prefix.
 *
 * <p>Chosen in this order: env {@code TOLLGATE_TEST_KAFKA_BOOTSTRAP}; a Testcontainers
 * {@code apache/kafka} container where a Docker engine is available; an embedded KRaft broker
 * (spring-kafka-test) in this JVM, stopped by a shutdown hook.
 */
public final class TestKafka {

    public static final String ENV_BOOTSTRAP = "TOLLGATE_TEST_KAFKA_BOOTSTRAP";
    /** Image for the Testcontainers broker; override with env {@code TOLLGATE_TEST_KAFKA_IMAGE}. */
    public static final String DEFAULT_IMAGE = "apache/kafka:4.2.1";

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String bootstrap;

    private TestKafka() {
    }

    /** {@code host:port[,host:port]} of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        String b = bootstrap;
        if (b == null) {
            synchronized (TestKafka.class) {
                b = bootstrap;
                if (b == null) {
                    b = start();
                    bootstrap = b;
                }
            }
        }
        return b;
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer}, from the beginning, once the consumer's metadata
     * knows all {@code expected} of them (30 s at most). Right after a topic is created a new consumer can see it
     * without partitions, and assigning none makes every poll fail ("not subscribed to any topics").
     */
    public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, String topic, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.size() >= expected) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " shows " + partitions.size() + " of " + expected
                        + " partitions after 30 s");
            }
            try {
                Thread.sleep(100); // metadata polling, with the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A fresh topic prefix such as {@code t-3fa9c1.}; topics named with it are this caller's alone. */
    public static String uniquePrefix() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "t-" + HexFormat.of().formatHex(bytes) + ".";
    }

    private static String start() {
        String env = System.getenv(ENV_BOOTSTRAP);
        if (env != null && !env.isBlank()) {
            log.info("Kafka for tests: {} (from {})", env, ENV_BOOTSTRAP);
            return env.trim();
        }
        long t0 = System.nanoTime();
        if (Docker.available()) {
            String image = System.getenv().getOrDefault("TOLLGATE_TEST_KAFKA_IMAGE", DEFAULT_IMAGE);
            KafkaContainer container = new KafkaContainer(image)
                    .withEnv("KAFKA_NUM_PARTITIONS", "3")
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            // Testcontainers' Ryuk removes the container when this JVM exits.
            String b = container.getBootstrapServers();
            log.info("Kafka for tests: container {} at {} ({} ms)", image, b, (System.nanoTime() - t0) / 1_000_000);
            return b;
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperty("auto.create.topics.enable", "true");
        broker.brokerProperty("num.partitions", "3");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.brokerProperty("offsets.topic.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.brokerProperty("share.coordinator.state.topic.replication.factor", "1");
        broker.brokerProperty("share.coordinator.state.topic.min.isr", "1");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.destroy();
            } catch (Throwable ignored) {
                // JVM is exiting
            }
        }, "tollgate-test-kafka-stop"));
        String b = broker.getBrokersAsString();
        log.info("Kafka for tests: embedded KRaft broker at {} ({} ms)", b, (System.nanoTime() - t0) / 1_000_000);
        return b;
    }
}
