package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponsesRequestValidatorTest {

    private static InboundRequest validate(String json) {
        return ResponsesRequestValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadModelStreamAndOutputLimitWhenValid() {
        InboundRequest request = validate("{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"stream\":true,"
                + "\"max_output_tokens\":64,\"store\":true,\"metadata\":{\"a\":\"b\"}}");

        assertThat(request.model()).isEqualTo("gpt-4.1");
        assertThat(request.stream()).isTrue();
        assertThat(request.maxTokens()).isEqualTo(64L);
        assertThat(request.choices()).isEqualTo(1);
        assertThat(request.includeUsage()).as("response.completed always carries the usage").isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"resp_1\"}",
            "{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}",
            "{\"model\":\"m\",\"input\":\"x\",\"conversation\":{\"id\":\"conv_1\"}}",
            "{\"model\":\"m\",\"input\":\"x\",\"prompt\":{\"id\":\"pmpt_1\"}}",
            "{\"model\":\"m\",\"input\":\"x\",\"background\":true,\"store\":true}",
            "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}"})
    void shouldAcceptStatefulRequestsForChannelsThatServeTheResponsesApiThemselves(String json) {
        assertThat(validate(json).model()).isEqualTo("m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"input\":\"x\"}|model",
            "{\"model\":\"m\"}|input",
            "{\"model\":\"m\",\"input\":7}|input",
            "{\"model\":\"m\",\"input\":[\"x\"]}|input[0]",
            "{\"model\":\"m\",\"input\":\"x\",\"stream\":\"yes\"}|stream",
            "{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":0}|max_output_tokens",
            "{\"model\":\"m\",\"input\":\"x\",\"instructions\":[1]}|instructions",
            "{\"model\":\"m\",\"input\":\"x\",\"tools\":{}}|tools",
            "{\"model\":\"m\",\"input\":\"x\",\"text\":\"json\"}|text",
            "{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":7}|previous_response_id",
            "{\"model\":\"m\",\"input\":\"x\",\"background\":\"yes\"}|background",
            "{\"model\":\"m\",\"input\":\"x\",\"store\":1}|store",
            "{\"model\":\"m\",\"input\":\"x\",\"conversation\":[]}|conversation"})
    void shouldRejectBadInputNamingTheParameter(String json, String param) {
        assertThatThrownBy(() -> validate(json))
                .isInstanceOfSatisfying(Rejection.class, e -> {
                    assertThat(e.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldRejectABodyThatIsNotJsonInOpenAisWords() {
        assertThatThrownBy(() -> validate("{nope"))
                .isInstanceOfSatisfying(Rejection.class, e -> assertThat(e.getMessage())
                        .startsWith("We could not parse the JSON body"));
    }
}
