package dev.tollgate.ledger.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ledger's own settings ({@code tollgate.*} in application.yml, fed by TOLLGATE_* variables).
 *
 * @param topicPrefix prefix of every topic name; empty in production, unique per test class
 * @param kafka       how the ledger creates the topics at start
 */
@ConfigurationProperties("tollgate")
public record LedgerProperties(@DefaultValue("") String topicPrefix, @DefaultValue Kafka kafka) {

    public LedgerProperties {
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        kafka = kafka == null ? new Kafka(3, (short) 1) : kafka;
    }

    public record Kafka(@DefaultValue("3") int partitions, @DefaultValue("1") short replication) {
    }
}
