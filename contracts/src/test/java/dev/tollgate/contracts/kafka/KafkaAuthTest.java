package dev.tollgate.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaAuthTest {

    @Test
    void shouldAddNothingWhenModeIsNoneOrUnset() {
        assertThat(KafkaAuth.clientProperties("none")).isEmpty();
        assertThat(KafkaAuth.clientProperties(null)).isEmpty();
        assertThat(KafkaAuth.clientProperties(" ")).isEmpty();
    }

    @Test
    void shouldUseSaslSslWithTheMskIamModuleWhenModeIsMskIam() {
        assertThat(KafkaAuth.clientProperties("msk-iam")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "AWS_MSK_IAM",
                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
        assertThat(KafkaAuth.clientProperties("MSK-IAM")).hasSize(4);
        assertThat(KafkaAuth.clientProperties("msk-iam").values()).allMatch(v -> v instanceof String);
    }

    @Test
    void shouldRefuseWithTheChoicesWhenModeIsUnknown() {
        assertThatThrownBy(() -> KafkaAuth.clientProperties("sasl-plain"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sasl-plain").hasMessageContaining("TOLLGATE_KAFKA_AUTH")
                .hasMessageContaining("none").hasMessageContaining("msk-iam");
    }
}
