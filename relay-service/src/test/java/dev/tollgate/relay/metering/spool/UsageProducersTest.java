package dev.tollgate.relay.metering.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

class UsageProducersTest {

    @Test
    void shouldAuthenticateWithMskIamWhenKafkaAuthIsMskIam() {
        Properties p = UsageProducers.properties("b-1.example:9098", "msk-iam", "relay-a");
        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("bootstrap.servers", "b-1.example:9098")
                .containsEntry("enable.idempotence", "true");
    }

    @Test
    void shouldStayPlaintextWhenKafkaAuthIsNone() {
        assertThat(UsageProducers.properties("127.0.0.1:9092", "none", "relay-a"))
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void shouldBuildTheProducerOfflineWhenKafkaAuthIsMskIam() {
        // aws-msk-iam-auth is a runtime dependency: Kafka loads the login module and callback handler by name.
        try (Producer<String, byte[]> producer = UsageProducers.kafka("127.0.0.1:9098", "msk-iam", "relay-a").get()) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }
}
