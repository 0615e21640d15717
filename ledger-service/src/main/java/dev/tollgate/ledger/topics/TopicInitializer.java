package dev.tollgate.ledger.topics;

import dev.tollgate.contracts.Topics;
import dev.tollgate.ledger.config.LedgerProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Creates the topics when absent: the four durable ones, and the relays' short-lived rate-limit topic. Runs after the beans are built and before any listener
 * container starts (containers start in the lifecycle phase), because managed brokers often
 * disable auto-creation.
 */
@Component
class TopicInitializer implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);
    private static final long TIMEOUT_SECONDS = 30;
    /** Relays read the rate counts from the end and drop any older than seconds: one partition, ten minutes kept. */
    private static final int RATE_LIMIT_PARTITIONS = 1;
    private static final Map<String, String> RATE_LIMIT_CONFIG = Map.of(
            "cleanup.policy", "delete",
            "retention.ms", "600000",
            "segment.ms", "600000");

    private final KafkaProperties kafka;
    private final Topics topics;
    private final LedgerProperties properties;

    TopicInitializer(KafkaProperties kafka, Topics topics, LedgerProperties properties) {
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<String> wanted = List.of(topics.usage(), topics.commands(), topics.changes(), topics.usageDlq(),
                topics.rateLimits());
        Map<String, Object> adminProperties = new HashMap<>(kafka.buildAdminProperties());
        adminProperties.putAll(properties.kafka().authProperties());
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : wanted) {
                if (!existing.contains(name)) {
                    missing.add(newTopic(name));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    log.info("Created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            // Without its topics the ledger cannot work; failing the start lets the orchestrator retry.
            throw new IllegalStateException("could not create Kafka topics " + wanted + ": " + e.getMessage(), e);
        }
    }

    private NewTopic newTopic(String name) {
        if (name.equals(topics.rateLimits())) {
            return new NewTopic(name, RATE_LIMIT_PARTITIONS, properties.kafka().replication()).configs(RATE_LIMIT_CONFIG);
        }
        return new NewTopic(name, properties.kafka().partitions(), properties.kafka().replication());
    }
}
