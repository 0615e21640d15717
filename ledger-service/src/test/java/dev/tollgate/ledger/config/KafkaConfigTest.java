package dev.tollgate.ledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

class KafkaConfigTest {

    static final Map<String, Object> SASL_IAM = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "AWS_MSK_IAM",
            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

    @Test
    void shouldAddSaslIamToConsumersAndTheOutboxProducerWhenAuthIsMskIam() {
        LedgerProperties ledger = ledger("msk-iam");
        assertThat(KafkaConfig.consumerProperties(kafka(), ledger)).containsAllEntriesOf(SASL_IAM);
        assertThat(KafkaConfig.producerProperties(kafka(), ledger)).containsAllEntriesOf(SASL_IAM);
    }

    @Test
    void shouldAddNoSecurityWhenAuthIsNone() {
        assertThat(KafkaConfig.consumerProperties(kafka(), ledger("none"))).doesNotContainKeys(SASL_IAM.keySet()
                .toArray(String[]::new));
        assertThat(KafkaConfig.producerProperties(kafka(), ledger("none"))).doesNotContainKeys(SASL_IAM.keySet()
                .toArray(String[]::new));
    }

    @Test
    void shouldBuildTheOutboxProducerOfflineWhenAuthIsMskIam() {
        // aws-msk-iam-auth is a runtime dependency: Kafka loads its login module and callback handler by name.
        try (KafkaProducer<String, byte[]> producer = new KafkaConfig().outboxProducer(kafka(), ledger("msk-iam"))) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }

    private static KafkaProperties kafka() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(java.util.List.of("127.0.0.1:9098"));
        return kafka;
    }

    private static LedgerProperties ledger(String auth) {
        return new LedgerProperties("", new LedgerProperties.Kafka(3, (short) 1, auth));
    }
}
