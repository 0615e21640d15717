package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class AnthropicRequestValidatorTest {

    private static InboundRequest valid(String json) {
        return AnthropicRequestValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadModelStreamAndMaxTokensWhenRequestIsValid() {
        byte[] body = Golden.bytes("request-valid.json");

        InboundRequest request = AnthropicRequestValidator.validate(body);

        assertThat(request.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.maxTokens()).isEqualTo(2048);
        assertThat(request.choices()).isEqualTo(1);
        assertThat(request.raw()).isSameAs(body);
        assertThat(request.tree()).isEqualTo(Golden.json("request-valid.json"));
    }

    @Test
    void shouldKeepUnknownTopLevelFieldsWhenValidating() {
        InboundRequest request = valid("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],"
                + "\"context_management\":{\"edits\":[]},\"mcp_servers\":[]}");

        assertThat(request.tree().has("context_management")).isTrue();
        assertThat(request.tree().has("mcp_servers")).isTrue();
    }

    @Test
    void shouldDefaultToNonStreamingWithUsageWhenStreamIsAbsentOrNull() {
        InboundRequest absent = valid("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        InboundRequest nulled = valid("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"stream\":null}");

        assertThat(absent.stream()).isFalse();
        assertThat(absent.includeUsage()).isTrue();
        assertThat(nulled.stream()).isFalse();
    }

    @Test
    void shouldAcceptBoundaryValuesWhenTheyAreInRange() {
        InboundRequest request = valid("{\"model\":\"m\",\"max_tokens\":10000000,\"messages\":[],"
                + "\"temperature\":0,\"top_p\":1,\"top_k\":0,\"system\":\"be brief\","
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"t\"}}");

        assertThat(request.maxTokens()).isEqualTo(10_000_000L);
    }

    @Test
    void shouldAcceptDisabledAndAdaptiveThinkingWithoutBudget() {
        assertThat(valid("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"thinking\":{\"type\":\"disabled\"}}"))
                .isNotNull();
        assertThat(valid("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"thinking\":{\"type\":\"adaptive\"}}"))
                .isNotNull();
    }

    static List<Arguments> errors() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode c : Golden.json("validator-errors.json")) {
            byte[] body = c.has("raw") ? c.get("raw").stringValue().getBytes(StandardCharsets.UTF_8)
                    : Json.mapper().writeValueAsBytes(c.get("body"));
            String param = c.get("param").isNull() ? null : c.get("param").stringValue();
            cases.add(Arguments.of(new String(body, StandardCharsets.UTF_8), param, c.get("message").stringValue()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("errors")
    void shouldRejectInAnthropicWordsWhenAFieldIsWrong(String body, String param, String message) {
        assertThatThrownBy(() -> valid(body))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.kind().status()).isEqualTo(400);
                    assertThat(r.getMessage()).isEqualTo(message);
                    assertThat(r.param()).isEqualTo(param);
                });
    }
}
