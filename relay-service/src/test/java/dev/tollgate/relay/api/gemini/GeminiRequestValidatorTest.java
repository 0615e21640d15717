package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class GeminiRequestValidatorTest {

    static Stream<Arguments> errors() {
        return StreamSupport.stream(Golden.json("validator-errors.json").spliterator(), false)
                .map(c -> Arguments.of(c.path("body").isString() ? c.path("body").asString()
                        : Json.mapper().writeValueAsString(c.path("body")), c.path("message").asString(),
                        c.path("param").isNull() ? null : c.path("param").asString()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void shouldRefuseInGooglesWordsNamingThePathWhenAFieldIsWrong(String body, String message, String param) {
        assertThatThrownBy(() -> GeminiRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8), "m", false))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.getMessage()).isEqualTo(message);
                    assertThat(r.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldTakeModelAndStreamFromTheRouteAndLimitsFromTheConfigWhenValid() {
        byte[] body = Golden.bytes("request-translatable.json");

        InboundRequest request = GeminiRequestValidator.validate(body, "gemini-2.5-flash", true);

        assertThat(request.model()).isEqualTo("gemini-2.5-flash");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.maxTokens()).isEqualTo(512);
        assertThat(request.choices()).isEqualTo(1);
        assertThat(request.raw()).isSameAs(body);
    }

    @Test
    void shouldAcceptUnknownFieldsAndSnakeCaseWhenTheyArePassedThrough() {
        String body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generation_config\":{\"candidate_count\":3,"
                + "\"max_output_tokens\":9},\"newFeature\":{\"on\":true}}";

        InboundRequest request = GeminiRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8), "m", false);

        assertThat(request.choices()).isEqualTo(3);
        assertThat(request.maxTokens()).isEqualTo(9);
        JsonNode tree = request.tree();
        assertThat(tree.has("newFeature")).isTrue();
    }
}
