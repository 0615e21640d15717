package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddingsRequestValidatorTest {

    private static InboundRequest valid(String json) {
        return EmbeddingsRequestValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"e\",\"input\":\"hello\"}",
            "{\"model\":\"e\",\"input\":[\"hello\",\"world\"],\"encoding_format\":\"base64\"}",
            "{\"model\":\"e\",\"input\":[1,2,3],\"encoding_format\":\"float\",\"dimensions\":256}",
            "{\"model\":\"e\",\"input\":[[1,2],[3]],\"user\":\"u-1\"}"})
    void shouldAcceptEveryInputShapeWhenWellFormed(String json) {
        InboundRequest request = valid(json);

        assertThat(request.model()).isEqualTo("e");
        assertThat(request.stream()).isFalse();
        assertThat(request.maxTokens()).as("no output to reserve").isZero();
        assertThat(request.choices()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"input\":\"a\"}|model",
            "{\"model\":\"e\"}|input",
            "{\"model\":\"e\",\"input\":null}|input",
            "{\"model\":\"e\",\"input\":\"\"}|input",
            "{\"model\":\"e\",\"input\":[]}|input",
            "{\"model\":\"e\",\"input\":{}}|input",
            "{\"model\":\"e\",\"input\":5}|input",
            "{\"model\":\"e\",\"input\":[\"a\",1]}|input[1]",
            "{\"model\":\"e\",\"input\":[1,-2]}|input[1]",
            "{\"model\":\"e\",\"input\":[[1],[]]}|input[1]",
            "{\"model\":\"e\",\"input\":[[1],[\"a\"]]}|input[1]",
            "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":\"hex\"}|encoding_format",
            "{\"model\":\"e\",\"input\":\"a\",\"encoding_format\":1}|encoding_format",
            "{\"model\":\"e\",\"input\":\"a\",\"dimensions\":0}|dimensions",
            "{\"model\":\"e\",\"input\":\"a\",\"dimensions\":\"8\"}|dimensions"})
    void shouldNameTheParameterWhenRequestIsInvalid(String json, String param) {
        assertThatThrownBy(() -> valid(json))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldRefuseMoreItemsThanOpenAiAllowsWhenInputIsTooLong() {
        String items = "1,".repeat(TextInputs.MAX_ITEMS) + "1";
        assertThatThrownBy(() -> valid("{\"model\":\"e\",\"input\":[" + items + "]}"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.param()).isEqualTo("input"));
    }
}
