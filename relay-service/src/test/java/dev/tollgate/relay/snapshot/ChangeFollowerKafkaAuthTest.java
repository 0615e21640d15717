package dev.tollgate.relay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class ChangeFollowerKafkaAuthTest {

    @Test
    void shouldAuthenticateWithMskIamWhenKafkaAuthIsMskIam() {
        Properties p = ChangeFollower.consumerProperties("b-1.example:9098", "msk-iam", "relay-a");
        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
                .containsEntry("bootstrap.servers", "b-1.example:9098");
    }

    @Test
    void shouldStayPlaintextWhenKafkaAuthIsNone() {
        assertThat(ChangeFollower.consumerProperties("127.0.0.1:9092", "none", "relay-a"))
                .doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void shouldBuildTheConsumerOfflineWhenKafkaAuthIsMskIam() {
        Properties p = ChangeFollower.consumerProperties("127.0.0.1:9098", "msk-iam", "relay-a");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            assertThat(consumer.metrics()).isNotEmpty();
        }
    }
}
