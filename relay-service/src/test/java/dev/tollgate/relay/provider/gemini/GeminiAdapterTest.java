package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.gemini.GeminiHandler;
import dev.tollgate.simulator.openai.OpenAiSurfaceHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.node.ObjectNode;

/** The adapter's boundary against the simulator's Gemini endpoints: what goes up, and what each answer becomes. */
class GeminiAdapterTest {

    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final String CLIENT_BODY =
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"future\":{\"x\":1}}";
    private static final Simulator SIM = Simulator.start(0);

    private final GeminiAdapter adapter = new GeminiAdapter(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(VERIFY)))
            .build());

    @AfterAll
    static void stop() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(3).withPromptTokens(30).withCachedTokens(10)
                .withCompletionTokens(5));
    }

    @Test
    void shouldBuildTheUrlFromTheRootWhateverTheBaseUrlEndsIn() {
        assertThat(GeminiAdapter.url("https://generativelanguage.googleapis.com", "gemini-2.5-flash", false))
                .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(GeminiAdapter.url("https://g.example/v1beta/", "models/gemini-2.5-pro", true))
                .isEqualTo("https://g.example/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    }

    @Test
    void shouldPassTheClientsBytesWithTheKeyInItsHeaderAndTheModelInTheUrl() {
        StepVerifier.create(adapter.complete(passThrough(SIM.geminiBaseUrl() + "/v1beta")))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Answered.class, a -> {
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.usage()).isEqualTo(new TokenUsage(20, 10, 0, 5, 0, 0, 0, 0));
                }))
                .verifyComplete();

        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.text()).isEqualTo(CLIENT_BODY);
        assertThat(sent.decodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.googApiKey()).isTrue();
        assertThat(sent.authorization()).isFalse();
        assertThat(sent.header("x-extra")).isNull();
    }

    @Test
    void shouldStreamChunksAsTheyComeWithDoneOnTheLastWhenPassingThrough() {
        StepVerifier.create(adapter.stream(passThrough(SIM.geminiBaseUrl()))
                        .flatMapMany(result -> ((UpstreamResult.Streaming) result).steps())
                        .collectList())
                .assertNext(steps -> {
                    assertThat(steps).hasSize(4);
                    assertThat(steps.get(3).done()).isTrue();
                    assertThat(steps.stream().map(StreamStep::text).reduce("", String::concat))
                            .isEqualTo("tok0 tok1 tok2 ");
                    assertThat(steps.get(3).usage()).isEqualTo(new TokenUsage(20, 10, 0, 5, 0, 0, 0, 0));
                })
                .verifyComplete();
        assertThat(SIM.lastRequest().query()).isEqualTo("alt=sse");
    }

    @Test
    void shouldTranslateAWholeAnswerWhenTheCallerSpeaksAnotherDialect() {
        StepVerifier.create(adapter.complete(translated()))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Completed.class, c -> {
                    assertThat(c.response().content()).containsExactly(Part.Text.of("tok0 tok1 tok2 "));
                    assertThat(c.response().stopReason()).isEqualTo(StopReason.END_TURN);
                    assertThat(c.response().usage()).isEqualTo(new TokenUsage(20, 10, 0, 5, 0, 0, 0, 0));
                }))
                .verifyComplete();

        ObjectNode sent = (ObjectNode) SIM.lastRequest().body();
        assertThat(sent.path("contents").get(0).path("parts").get(0).path("text").asString()).isEqualTo("hello");
        assertThat(sent.path("generationConfig").path("maxOutputTokens").asLong()).isEqualTo(64);
    }

    @Test
    void shouldTranslateAStreamIntoEventsEndingNormallyWhenTheCallerSpeaksAnotherDialect() {
        StepVerifier.create(adapter.stream(translated())
                        .flatMapMany(result -> ((UpstreamResult.Translated) result).events())
                        .collectList())
                .assertNext(events -> {
                    assertThat(events.get(0)).isInstanceOf(ChatEvent.Started.class);
                    assertThat(events).contains(new ChatEvent.TextDelta(0, "tok1 "),
                            new ChatEvent.Finished(StopReason.END_TURN, null));
                    assertThat(events.get(events.size() - 1)).isEqualTo(new ChatEvent.Ended());
                })
                .verifyComplete();
    }

    @Test
    void shouldEndTheTranslatedStreamInAnErrorWhenTheUpstreamCutsIt() {
        SIM.config(SIM.config().withCutAfterChunks(1));

        StepVerifier.create(adapter.stream(translated())
                        .flatMapMany(result -> ((UpstreamResult.Translated) result).events()))
                .expectNextCount(4)
                .expectError()
                .verify(VERIFY);
    }

    @Test
    void shouldAnswerRefusedWithTheRetryDelayWhenGoogleRateLimits() {
        SIM.config(SIM.config().withFailure(429, 1));

        StepVerifier.create(adapter.stream(passThrough(SIM.geminiBaseUrl())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(429);
                    assertThat(r.retryAfter()).isEqualTo("1");
                    assertThat(r.message()).isEqualTo("simulated failure");
                }))
                .verifyComplete();
    }

    @Test
    void shouldAnswerRefusedAs401WhenGoogleSaysTheKeyIsInvalid() {
        SIM.config(SIM.config().withFailure(401, 1));

        StepVerifier.create(adapter.complete(translated()))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        r -> assertThat(r.status()).isEqualTo(401)))
                .verifyComplete();
    }

    @Test
    void shouldSendAGeminiEmbeddingModelOneTextPerPredictAndMergeTheAnswersInOrderWhenOnVertex() {
        List<String> texts = List.of("first text", "the second one", "a third, longer than the others");

        StepVerifier.create(adapter.complete(vertexEmbeddings("gemini-embedding-001", texts)))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Embedded.class, e -> {
                    assertThat(e.response().vectors()).hasSize(3);
                    for (int i = 0; i < texts.size(); i++) {
                        assertThat(e.response().vectors().get(i)).as("vector %d in the request's order", i)
                                .containsExactly(OpenAiSurfaceHandler.vector(texts.get(i), 4));
                    }
                    assertThat(e.response().usage()).isEqualTo(TokenUsage.ofTokens(
                            texts.stream().mapToLong(GeminiHandler::predictTokens).sum(), 0));
                }))
                .verifyComplete();

        List<RecordedRequest> sent = SIM.requests();
        assertThat(sent).hasSize(3).allSatisfy(request -> {
            assertThat(request.decodedPath()).isEqualTo("/v1/publishers/google/models/gemini-embedding-001:predict");
            assertThat(request.googApiKey()).isTrue();
            assertThat(request.body().path("instances")).hasSize(1);
        });
        assertThat(sent).extracting(request -> request.body().path("instances").get(0).path("content").asString())
                .containsExactlyInAnyOrderElementsOf(texts);
    }

    @Test
    void shouldSendEveryTextInOnePredictWhenTheVertexModelTakesMany() {
        List<String> texts = List.of("one", "two", "three");

        StepVerifier.create(adapter.complete(vertexEmbeddings("text-embedding-005", texts)))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Embedded.class,
                        e -> assertThat(e.response().vectors()).hasSize(3)))
                .verifyComplete();

        assertThat(SIM.requests()).hasSize(1);
        assertThat(SIM.lastRequest().body().path("instances")).hasSize(3);
    }

    @Test
    void shouldAnswerTheRefusalWhenOnePartOfASplitEmbeddingsRequestIsRefused() {
        SIM.config(SIM.config().withFailure(429, 1));

        StepVerifier.create(adapter.complete(vertexEmbeddings("gemini-embedding-001", List.of("a", "b", "c"))))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        r -> assertThat(r.status()).isEqualTo(429)))
                .verifyComplete();
    }

    /** An OpenAI caller's embeddings to an express-mode Vertex channel (an API key, no project) of the simulator. */
    private static UpstreamCall vertexEmbeddings(String upstreamModel, List<String> texts) {
        Channel channel = new Channel(2, "vertex", "gemini", SIM.vertexBaseUrl(), "AQ.express-key",
                Map.of("vertex", true), Set.of("embed"), Map.of("embed", upstreamModel), Set.of("default"), 0, 1, true,
                false, false, 1);
        EmbeddingRequest request = new EmbeddingRequest(texts.stream().map(EmbeddingRequest.Input::of).toList(), 4);
        return UpstreamCall.embeddings(channel, Dialect.OPENAI, Json.mapper().createObjectNode(), new byte[0], "embed",
                request);
    }

    private static UpstreamCall passThrough(String baseUrl) {
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(CLIENT_BODY);
        return new UpstreamCall(channel(baseUrl), Dialect.GEMINI, tree, CLIENT_BODY.getBytes(StandardCharsets.UTF_8),
                "flash", true);
    }

    private static UpstreamCall translated() {
        ChatRequest chat = new ChatRequest("flash", null, List.of(new Message(Message.Role.USER,
                List.of(Part.Text.of("hello")))), null, null, 64L, null, null, null, null, false, 1, null, null, null,
                null, null, null);
        return new UpstreamCall(channel(SIM.geminiBaseUrl()), Dialect.OPENAI,
                Json.mapper().createObjectNode(), new byte[0], "flash", true, chat);
    }

    private static Channel channel(String baseUrl) {
        return new Channel(1, "gemini", "gemini", baseUrl, "AIza-test", Map.of(), Set.of("flash"),
                Map.of("flash", "gemini-2.5-flash"), Set.of("default"), 0, 1, true, false, false, 1);
    }
}
