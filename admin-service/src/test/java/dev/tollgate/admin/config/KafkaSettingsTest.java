package dev.tollgate.admin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void shouldAddSaslIamSettingsWhenAuthIsMskIam() {
        Map<String, Object> p = new KafkaSettings("b-1.example:9098", "msk-iam", "").clientProperties();
        assertThat(p).containsEntry("bootstrap.servers", "b-1.example:9098")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM")
                .containsEntry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;")
                .containsEntry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }

    @Test
    void shouldAddOnlyTheBootstrapWhenAuthIsNone() {
        assertThat(new KafkaSettings("127.0.0.1:9092", "none", "").clientProperties())
                .containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:9092"));
    }

    @Test
    void shouldRefuseAnUnknownModeWhenAuthIsMistyped() {
        assertThatThrownBy(() -> new KafkaSettings("127.0.0.1:9092", "iam", "").clientProperties())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iam");
    }

    @Test
    void shouldBuildAProducerWithTheIamLoginModuleWhenAuthIsMskIam() {
        // aws-msk-iam-auth is on the runtime classpath: Kafka finds the login module and callback handler by name.
        Map<String, Object> p = new HashMap<>(new KafkaSettings("127.0.0.1:9098", "msk-iam", "").clientProperties());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }
}
