package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The adapter's translated path: an internal request goes up as OpenAI JSON, the answer comes back as the internal
 * model. Text against the simulator; tool calls and error bodies against a tiny stub that answers recorded bytes.
 */
class OpenAiAdapterTranslationTest {

    private static final Simulator SIM = Simulator.start(0);
    private static final Duration VERIFY = Duration.ofSeconds(10);

    /** What the stub answers next (status, content type, body) and the last request body it received. */
    private static final AtomicReference<Stubbed> STUBBED = new AtomicReference<>();
    private static final AtomicReference<String> RECEIVED = new AtomicReference<>();
    private static final DisposableServer STUB = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(routes -> routes.post("/v1/chat/completions", (request, response) -> request.receive()
                    .aggregate()
                    .asString()
                    .flatMap(body -> {
                        RECEIVED.set(body);
                        Stubbed answer = STUBBED.get();
                        return response.status(answer.status())
                                .header("content-type", answer.contentType())
                                .sendString(Mono.just(answer.body()))
                                .then();
                    })))
            .bindNow();

    private record Stubbed(int status, String contentType, String body) {
    }

    private final OpenAiAdapter adapter = new OpenAiAdapter(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(VERIFY)))
            .build());

    @AfterAll
    static void close() {
        SIM.close();
        STUB.disposeNow();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
        RECEIVED.set(null);
    }

    private static UpstreamCall call(String baseUrl, ChatRequest chat) {
        Channel channel = new Channel(1, "up", "deepseek", baseUrl, "sk-test", Map.of(), Set.of("claude-x"),
                Map.of("claude-x", "gpt-4o-mini"), Set.of("default"), 0, 1, true, false, false, 1);
        byte[] raw = "{\"model\":\"claude-x\"}".getBytes(StandardCharsets.UTF_8);
        return new UpstreamCall(channel, Dialect.ANTHROPIC, (ObjectNode) Json.mapper().readTree(raw), raw, "claude-x",
                false, chat);
    }

    private static String stubUrl() {
        return "http://127.0.0.1:" + STUB.port() + "/v1";
    }

    private static ChatRequest hello() {
        return TranslateGolden.chatRequest("parse/text.chat.json");
    }

    @Test
    void shouldCompleteWithInternalAnswerWhenSimulatorAnswersText() {
        SIM.config(SimulatorConfig.defaults().withChunks(3).withPromptTokens(12).withCompletionTokens(3)
                .withCachedTokens(4));

        StepVerifier.create(adapter.complete(call(SIM.baseUrl(), hello())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Completed.class,
                        completed -> {
                            // Word spacing is the simulator's business: compare the words.
                            assertThat(completed.response().content()).singleElement()
                                    .isInstanceOfSatisfying(Part.Text.class,
                                            text -> assertThat(text.text().strip()).isEqualTo("tok0 tok1 tok2"));
                            assertThat(completed.response().stopReason()).isEqualTo(StopReason.END_TURN);
                            assertThat(completed.response().usage()).isEqualTo(TokenUsage.fromOpenAi(12, 4, 3, 0));
                        }))
                .verifyComplete();
    }

    @Test
    void shouldStreamInternalEventsWhenSimulatorStreamsText() {
        SIM.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(7).withCompletionTokens(2));

        UpstreamResult result = adapter.stream(call(SIM.baseUrl(), hello())).block(VERIFY);
        assertThat(result).isInstanceOf(UpstreamResult.Translated.class);
        List<ChatEvent> events = ((UpstreamResult.Translated) result).events().collectList().block(VERIFY);

        assertThat(events).first().isInstanceOf(ChatEvent.Started.class);
        String text = events.stream()
                .filter(ChatEvent.TextDelta.class::isInstance)
                .map(event -> ((ChatEvent.TextDelta) event).text())
                .reduce("", String::concat);
        assertThat(text.strip()).isEqualTo("tok0 tok1");
        assertThat(events).containsSubsequence(new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(TokenUsage.fromOpenAi(7, 0, 2, 0)), new ChatEvent.Ended());
    }

    @Test
    void shouldSendTranslatedBodyWithMappedModelAndUsageOnWhenStreaming() {
        STUBBED.set(new Stubbed(200, "text/event-stream", TranslateGolden.text("translate/stream-tools.sse")));

        adapter.stream(call(stubUrl(), TranslateGolden.chatRequest("map/anthropic-style.chat.json")))
                .flatMapMany(result -> ((UpstreamResult.Translated) result).events())
                .then()
                .block(VERIFY);

        JsonNode sent = Json.mapper().readTree(RECEIVED.get());
        JsonNode expected = TranslateGolden.tree("map/anthropic-style.openai.json");
        ((ObjectNode) expected).put("model", "gpt-4o-mini");
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void shouldStreamTwoToolBlocksWhenUpstreamStreamsParallelToolCalls() {
        STUBBED.set(new Stubbed(200, "text/event-stream", TranslateGolden.text("translate/stream-tools.sse")));

        List<ChatEvent> events = adapter.stream(call(stubUrl(), hello()))
                .flatMapMany(result -> ((UpstreamResult.Translated) result).events())
                .collectList()
                .block(VERIFY);

        TranslateGolden.assertJson(TranslateGolden.eventsTree(events), "translate/stream-tools.events.json");
    }

    @Test
    void shouldCompleteWithToolUsesWhenUpstreamAnswersToolCalls() {
        STUBBED.set(new Stubbed(200, "application/json", TranslateGolden.text("translate/completion-tool-calls.json")));

        StepVerifier.create(adapter.complete(call(stubUrl(), hello())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Completed.class,
                        completed -> TranslateGolden.assertJson(TranslateGolden.chatTree(completed.response()),
                                "translate/completion-tool-calls.chat.json")))
                .verifyComplete();
        assertThat(Json.mapper().readTree(RECEIVED.get()).has("stream")).isFalse();
    }

    @Test
    void shouldRefuseWithUpstreamMessageWhenUpstreamAnswersError() {
        String error = "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
        STUBBED.set(new Stubbed(400, "application/json", error));

        for (boolean stream : new boolean[] {false, true}) {
            UpstreamCall call = call(stubUrl(), hello());
            StepVerifier.create(stream ? adapter.stream(call) : adapter.complete(call))
                    .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                            refused -> {
                                assertThat(refused.status()).isEqualTo(400);
                                assertThat(refused.message()).startsWith("This model's maximum context length");
                            }))
                    .verifyComplete();
        }
    }

    @Test
    void shouldRefuseWithMessageWhenPassThroughUpstreamFails() {
        SIM.config(SimulatorConfig.defaults().withFailStatus(500));
        byte[] raw = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes();
        Channel channel = new Channel(1, "sim", "openai", SIM.baseUrl(), "sk-test", Map.of(), Set.of("gpt-4o-mini"),
                Map.of(), Set.of("default"), 0, 1, true, false, false, 1);
        UpstreamCall call = new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw,
                "gpt-4o-mini", false);

        StepVerifier.create(adapter.complete(call))
                .assertNext(result -> assertThat(((UpstreamResult.Refused) result).message())
                        .isEqualTo("simulated failure"))
                .verifyComplete();
        StepVerifier.create(adapter.stream(call))
                .assertNext(result -> assertThat(((UpstreamResult.Refused) result).message())
                        .isEqualTo("simulated failure"))
                .verifyComplete();
    }

    @Test
    void shouldFailAsErrorSignalWithoutCallingUpstreamWhenRequestIsUntranslatable() {
        ChatRequest chat = hello();
        ChatRequest withTopK = new ChatRequest(chat.model(), chat.system(), chat.messages(), chat.tools(),
                chat.toolChoice(), chat.maxTokens(), chat.temperature(), chat.topP(), 40, chat.stop(), chat.stream(),
                chat.choices(), chat.seed(), chat.responseFormat(), chat.reasoning(), chat.frequencyPenalty(),
                chat.presencePenalty(), chat.user());

        StepVerifier.create(adapter.complete(call(stubUrl(), withTopK)))
                .expectError(Untranslatable.class)
                .verify(VERIFY);
        StepVerifier.create(adapter.stream(call(stubUrl(), withTopK)))
                .expectError(Untranslatable.class)
                .verify(VERIFY);
        assertThat(RECEIVED.get()).isNull();
    }
}
