package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.metering.TokenCounter;
import dev.tollgate.relay.provider.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Gemini's {@code embedContent} / {@code batchEmbedContents} in: validator, parser to the internal model, writer. */
class GeminiEmbeddingsDialectTest {

    private static final String MODEL = "text-embedding-004";

    static Stream<Arguments> errors() {
        return StreamSupport.stream(Golden.json("embed-validator-errors.json").spliterator(), false)
                .map(c -> Arguments.of(c.path("batch").booleanValue(), c.path("body").isString()
                        ? c.path("body").asString() : Json.mapper().writeValueAsString(c.path("body")),
                        c.path("message").asString(), c.path("param").isNull() ? null : c.path("param").asString()));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("errors")
    void shouldRefuseInGooglesWordsNamingThePathWhenAFieldIsWrong(boolean batch, String body, String message,
            String param) {
        assertThatThrownBy(() -> GeminiEmbeddingsRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8),
                MODEL, batch))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.getMessage()).isEqualTo(message);
                    assertThat(r.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldTakeTheModelFromTheRouteAndReserveNoOutputWhenABatchIsValid() {
        InboundRequest request = GeminiEmbeddingsRequestValidator.validate(Golden.bytes("embed-batch-request.json"),
                MODEL, true);

        assertThat(request.model()).isEqualTo(MODEL);
        assertThat(request.stream()).isFalse();
        assertThat(request.maxTokens()).isZero();
    }

    @Test
    void shouldParseEachRequestWithItsHintsAndJoinPartsWhenABatchIsTranslated() {
        InboundRequest request = GeminiEmbeddingsRequestValidator.validate(Golden.bytes("embed-batch-request.json"),
                MODEL, true);

        EmbeddingRequest embeddings = new GeminiEmbeddingsDialect(new GeminiErrorWriter(), MODEL, true)
                .toEmbeddings(request.tree());

        assertThat(embeddings.dimensions()).isEqualTo(3);
        assertThat(embeddings.inputs()).containsExactly(
                new EmbeddingRequest.Input("What is the meaning of life?", "RETRIEVAL_QUERY", null),
                new EmbeddingRequest.Input("How much wood would a woodchuck chuck?\nQuite a lot.", "RETRIEVAL_DOCUMENT",
                        "Woodchucks"));
    }

    @Test
    void shouldCountTextsAndTitlesWhenEstimatingThePrompt() {
        InboundRequest request = GeminiEmbeddingsRequestValidator.validate(Golden.bytes("embed-batch-request.json"),
                MODEL, true);

        long tokens = new GeminiEmbeddingsDialect(new GeminiErrorWriter(), MODEL, true).countPrompt(request.tree());

        assertThat(tokens).isEqualTo(TokenCounter.count("What is the meaning of life?")
                + TokenCounter.count("How much wood would a woodchuck chuck?\nQuite a lot.")
                + TokenCounter.count("Woodchucks"));
    }

    @Test
    void shouldParseTheSingleRequestWhenEmbedContentIsTranslated() {
        byte[] body = "{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":8}"
                .getBytes(StandardCharsets.UTF_8);
        InboundRequest request = GeminiEmbeddingsRequestValidator.validate(body, MODEL, false);

        EmbeddingRequest embeddings = GeminiEmbeddingsRequestParser.toEmbeddings(request.tree());

        assertThat(embeddings.texts()).containsExactly("hello");
        assertThat(embeddings.dimensions()).isEqualTo(8);
    }

    @Test
    void shouldAnswerInGeminisShapesWhenWritingEmbeddings() {
        EmbeddingResponse response = new EmbeddingResponse(List.of(new float[] {0.5f, -0.25f}, new float[] {1f, 0f}),
                TokenUsage.ofTokens(4, 0));

        JsonNode single = Json.mapper().readTree(GeminiEmbeddingsResponseWriter.write(response, false));
        JsonNode batch = Json.mapper().readTree(GeminiEmbeddingsResponseWriter.write(response, true));

        assertThat(single).isEqualTo(Json.mapper().readTree("{\"embedding\":{\"values\":[0.5,-0.25]}}"));
        assertThat(batch).isEqualTo(Json.mapper().readTree(
                "{\"embeddings\":[{\"values\":[0.5,-0.25]},{\"values\":[1.0,0.0]}]}"));
    }

    @Test
    void shouldBeTheEmbeddingsOperationWhenRouted() {
        assertThat(new GeminiEmbeddingsDialect(new GeminiErrorWriter(), MODEL, false).operation())
                .isEqualTo(Operation.EMBEDDINGS);
    }
}
