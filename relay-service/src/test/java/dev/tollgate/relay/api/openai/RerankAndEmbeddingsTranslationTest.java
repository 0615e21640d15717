package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.metering.TokenCounter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /v1/rerank}'s validator, and {@code /v1/embeddings} to and from the internal embeddings model. */
class RerankAndEmbeddingsTranslationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"r","documents":["a"]}                          | Missing required parameter: 'query'.       | query
            {"model":"r","query":"q"}                                | Missing required parameter: 'documents'.   | documents
            {"model":"r","query":"","documents":["a"]}               | Invalid 'query': an empty string is not a valid query. | query
            {"model":"r","query":5,"documents":["a"]}                | Invalid type for 'query': expected a string, but got an integer instead. | query
            {"model":"r","query":"q","documents":[]}                 | Invalid 'documents': an empty array is not valid. | documents
            {"model":"r","query":"q","documents":"a"}                | Invalid type for 'documents': expected an array, but got a string instead. | documents
            {"model":"r","query":"q","documents":["a",{"t":1}]}      | Invalid 'documents[1]': expected a string or an object with a string 'text'. | documents[1]
            {"model":"r","query":"q","documents":["a"],"top_n":0}    | Invalid 'top_n': integer below minimum value. Expected a value >= 1, but got 0 instead. | top_n
            {"query":"q","documents":["a"]}                          | you must provide a model parameter         | model
            """)
    void shouldRefuseRerankInOpenAisWordsWhenAFieldIsWrong(String body, String message, String param) {
        assertThatThrownBy(() -> RerankRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.getMessage()).isEqualTo(message);
                    assertThat(r.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldAcceptStringsAndTextObjectsAndCountQueryAndDocumentsWhenRerankIsValid() {
        InboundRequest request = RerankRequestValidator.validate(("{\"model\":\"jina\",\"query\":\"organic skin\","
                + "\"documents\":[\"Organic skincare\",{\"text\":\"Bio-Hautpflege\"}],\"top_n\":1,"
                + "\"return_documents\":true}").getBytes(StandardCharsets.UTF_8));

        assertThat(request.model()).isEqualTo("jina");
        assertThat(request.maxTokens()).isZero();
        assertThat(new OpenAiRerankDialect(new OpenAiErrorWriter()).countPrompt(request.tree())).isEqualTo(
                TokenCounter.count("organic skin") + TokenCounter.count("Organic skincare")
                        + TokenCounter.count("Bio-Hautpflege"));
    }

    @Test
    void shouldParseTextsAndDimensionsWhenEmbeddingsAreTranslated() {
        InboundRequest request = EmbeddingsRequestValidator.validate(
                "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":4}".getBytes(StandardCharsets.UTF_8));

        EmbeddingRequest embeddings = EmbeddingsRequestParser.toEmbeddings(request.tree());

        assertThat(embeddings.texts()).containsExactly("a", "b");
        assertThat(embeddings.dimensions()).isEqualTo(4);
        assertThat(EmbeddingsRequestParser.toEmbeddings(EmbeddingsRequestValidator.validate(
                "{\"model\":\"e\",\"input\":\"one\"}".getBytes(StandardCharsets.UTF_8)).tree()).texts())
                .containsExactly("one");
    }

    @Test
    void shouldRefuseTokenIdsWhenEmbeddingsMustBeTranslated() {
        InboundRequest request = EmbeddingsRequestValidator.validate(
                "{\"model\":\"e\",\"input\":[[1,2],[3]]}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EmbeddingsRequestParser.toEmbeddings(request.tree()))
                .isInstanceOf(Untranslatable.class);
    }

    @Test
    void shouldWriteOpenAisListWithTheLocalCountWhenTheUpstreamReportedNoUsage() {
        EmbeddingResponse response = new EmbeddingResponse(List.of(new float[] {0.5f, -0.25f}), null);

        JsonNode answer = Json.mapper().readTree(EmbeddingsResponseWriter.write(response, "e", false, 7));

        assertThat(answer).isEqualTo(Json.mapper().readTree("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
                + "\"index\":0,\"embedding\":[0.5,-0.25]}],\"model\":\"e\",\"usage\":{\"prompt_tokens\":7,"
                + "\"total_tokens\":7}}"));
    }

    @Test
    void shouldWriteLittleEndianFloatsInBase64AndTheReportedUsageWhenAsked() {
        EmbeddingResponse response = new EmbeddingResponse(List.of(new float[] {0.5f, -0.25f}),
                TokenUsage.ofTokens(3, 0));

        JsonNode answer = Json.mapper().readTree(EmbeddingsResponseWriter.write(response, "e", true, 99));

        ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(answer.path("data").get(0).path("embedding")
                .asString())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(decoded.getFloat()).isEqualTo(0.5f);
        assertThat(decoded.getFloat()).isEqualTo(-0.25f);
        assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(3);
    }
}
