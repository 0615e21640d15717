package dev.tollgate.ledger.config;

import dev.tollgate.contracts.kafka.KafkaAuth;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ledger's own settings ({@code tollgate.*} in application.yml, fed by TOLLGATE_* variables).
 *
 * @param topicPrefix prefix of every topic name; empty in production, unique per test class
 * @param kafka       how the ledger creates the topics at start, and how it authenticates to Kafka
 */
@ConfigurationProperties("tollgate")
public record LedgerProperties(@DefaultValue("") String topicPrefix, @DefaultValue Kafka kafka) {

    public LedgerProperties {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        kafka = kafka == null ? new Kafka(3, (short) 1, KafkaAuth.NONE) : kafka;
    }

    /**
     * @param auth TOLLGATE_KAFKA_AUTH: {@code none} or {@code msk-iam}
     */
    public record Kafka(@DefaultValue("3") int partitions, @DefaultValue("1") short replication,
            @DefaultValue("none") String auth) {

        /** Client properties every Kafka client of the ledger adds (SASL/IAM on MSK, nothing otherwise). */
        public Map<String, Object> authProperties() {
            return KafkaAuth.clientProperties(auth);
        }
    }
}
