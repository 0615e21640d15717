package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;

class BedrockDocumentsTest {

    @Test
    void shouldKeepNumbersExactWhenJsonTextGoesThroughDocument() {
        String json = "{\"a\":1.10,\"b\":12345678901234567890,\"c\":-0.000000000000000000001,\"d\":[true,null,\"x\"],"
                + "\"e\":{}}";

        Document document = BedrockDocuments.fromJsonText(json);

        assertThat(BedrockDocuments.toJsonText(document)).isEqualTo(json);
        assertThat(document.asMap().get("b").asNumber().bigDecimalValue())
                .isEqualByComparingTo("12345678901234567890");
    }

    @Test
    void shouldReadBlankArgumentsAsEmptyObject() {
        assertThat(BedrockDocuments.toJsonText(BedrockDocuments.fromJsonText(" "))).isEqualTo("{}");
    }

    @Test
    void shouldRefuseWhenTextIsNotJson() {
        assertThatThrownBy(() -> BedrockDocuments.fromJsonText("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
    }
}
