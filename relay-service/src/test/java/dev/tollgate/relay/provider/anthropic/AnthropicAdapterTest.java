package dev.tollgate.relay.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

/** The adapter's boundary against a tiny stub of the Messages endpoint: what goes up, and what each answer becomes. */
class AnthropicAdapterTest {

    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static final String CLIENT_BODY =
            "{\"model\":\"claude-x\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String RATE_LIMITED = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
            + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}";
    private static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"}}";

    private static final Stub STUB = new Stub();

    private final AnthropicAdapter adapter = new AnthropicAdapter(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(VERIFY)))
            .build(), 4096);

    @AfterAll
    static void stopStub() {
        STUB.server.disposeNow();
    }

    @BeforeEach
    void reset() {
        STUB.answer(200, "application/json", Golden.bytes("response-text.json"), Map.of());
    }

    @Test
    void shouldSendKeyVersionAndBetaHeadersWhenChannelConfiguresThem() {
        Map<String, Object> config = Map.of("anthropicVersion", "2024-10-22", "beta",
                List.of("prompt-caching-2024-07-31", "output-128k-2025-02-19"));

        StepVerifier.create(adapter.complete(passThrough(STUB.baseUrl() + "/v1/", config, Map.of())))
                .expectNextCount(1)
                .verifyComplete();

        HttpHeaders sent = STUB.lastHeaders.get();
        assertThat(STUB.lastPath.get()).isEqualTo("/v1/messages");
        assertThat(sent.get("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(sent.get("anthropic-version")).isEqualTo("2024-10-22");
        assertThat(sent.get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31,output-128k-2025-02-19");
        assertThat(sent.get("content-type")).startsWith("application/json");
        assertThat(sent.contains("authorization")).isFalse();
    }

    @Test
    void shouldSendDefaultVersionAndNoBetaWhenChannelConfiguresNone() {
        StepVerifier.create(adapter.complete(passThrough(STUB.baseUrl(), Map.of(), Map.of())))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(STUB.lastPath.get()).isEqualTo("/v1/messages");
        assertThat(STUB.lastHeaders.get().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(STUB.lastHeaders.get().contains("anthropic-beta")).isFalse();
    }

    @Test
    void shouldPassBytesBothWaysWhenCallerSpeaksAnthropic() {
        byte[] answer = Golden.bytes("response-cache-usage.json");
        STUB.answer(200, "application/json", answer, Map.of());

        StepVerifier.create(adapter.complete(passThrough(STUB.baseUrl(), Map.of(), Map.of())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Answered.class, a -> {
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.body()).isEqualTo(answer);
                    assertThat(a.usage().cacheWriteTokens()).isEqualTo(188086);
                    assertThat(a.text()).isEmpty();
                }))
                .verifyComplete();

        assertThat(new String(STUB.lastBody.get(), StandardCharsets.UTF_8)).isEqualTo(CLIENT_BODY);
    }

    @Test
    void shouldRenameModelWhenChannelMapsIt() {
        StepVerifier.create(adapter.complete(passThrough(STUB.baseUrl(), Map.of(), Map.of("claude-x", "claude-y"))))
                .expectNextCount(1)
                .verifyComplete();

        JsonNode sent = Json.mapper().readTree(STUB.lastBody.get());
        assertThat(sent.path("model").asString()).isEqualTo("claude-y");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void shouldCompleteWithChatResponseWhenCallIsTranslated() {
        STUB.answer(200, "application/json", Golden.bytes("response-tool-use.json"), Map.of());

        StepVerifier.create(adapter.complete(translated(STUB.baseUrl(), Map.of("gpt-4o", "claude-sonnet-4-5"))))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Completed.class, c -> {
                    assertThat(c.response().stopReason()).isEqualTo(StopReason.TOOL_USE);
                    assertThat(c.response().content()).hasSize(2);
                    assertThat(c.response().usage().inputTokens()).isEqualTo(384);
                }))
                .verifyComplete();

        JsonNode sent = Json.mapper().readTree(STUB.lastBody.get());
        assertThat(sent.path("model").asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(4096);
        assertThat(sent.path("messages").get(0).path("content").get(0).path("text").asString()).isEqualTo("hi");
        assertThat(sent.has("stream")).isFalse();
    }

    @Test
    void shouldStreamUpstreamEventsUnchangedWhenCallerSpeaksAnthropic() {
        STUB.answer(200, "text/event-stream", Golden.bytes("stream-text.sse"), Map.of());

        List<StreamStep> steps = new ArrayList<>();
        StepVerifier.create(adapter.stream(passThrough(STUB.baseUrl(), Map.of(), Map.of()))
                        .flatMapMany(result -> ((UpstreamResult.Streaming) result).steps()))
                .recordWith(() -> steps)
                .thenConsumeWhile(step -> true)
                .verifyComplete();

        List<Golden.Sse> upstream = Golden.sse("stream-text.sse");
        assertThat(steps).extracting(StreamStep::data).containsExactlyElementsOf(upstream.stream().map(Golden.Sse::data).toList());
        assertThat(steps).extracting(StreamStep::event).containsExactlyElementsOf(upstream.stream().map(Golden.Sse::event).toList());
        assertThat(steps.get(steps.size() - 1).done()).isTrue();
        assertThat(Json.mapper().readTree(STUB.lastBody.get()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void shouldStreamChatEventsWhenCallIsTranslated() {
        STUB.answer(200, "text/event-stream", Golden.bytes("stream-tool-use.sse"), Map.of());

        List<ChatEvent> events = new ArrayList<>();
        StepVerifier.create(adapter.stream(translated(STUB.baseUrl(), Map.of()))
                        .flatMapMany(result -> ((UpstreamResult.Translated) result).events()))
                .recordWith(() -> events)
                .thenConsumeWhile(event -> true)
                .verifyComplete();

        assertThat(events.get(0)).isEqualTo(new ChatEvent.Started("msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-20250514"));
        assertThat(events).contains(new ChatEvent.Finished(StopReason.TOOL_USE, null));
        assertThat(events.get(events.size() - 1)).isEqualTo(new ChatEvent.Ended());
        assertThat(Json.mapper().readTree(STUB.lastBody.get()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void shouldFailTranslatedStreamUnreachableWhenUpstreamSendsErrorEvent() {
        STUB.answer(200, "text/event-stream", Golden.bytes("stream-error.sse"), Map.of());

        StepVerifier.create(adapter.stream(translated(STUB.baseUrl(), Map.of()))
                        .flatMapMany(result -> ((UpstreamResult.Translated) result).events()))
                .expectNextCount(4)
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
    }

    @Test
    void shouldRefuseWithRetryAfterAndMessageWhenUpstreamRateLimits() {
        STUB.answer(429, "application/json", RATE_LIMITED.getBytes(StandardCharsets.UTF_8), Map.of("retry-after", "7"));

        for (Mono<UpstreamResult> call : List.of(adapter.complete(passThrough(STUB.baseUrl(), Map.of(), Map.of())),
                adapter.stream(passThrough(STUB.baseUrl(), Map.of(), Map.of())),
                adapter.complete(translated(STUB.baseUrl(), Map.of())),
                adapter.stream(translated(STUB.baseUrl(), Map.of())))) {
            StepVerifier.create(call)
                    .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class, r -> {
                        assertThat(r.status()).isEqualTo(429);
                        assertThat(r.retryAfter()).isEqualTo("7");
                        assertThat(r.message()).isEqualTo("Number of request tokens has exceeded your per-minute rate limit");
                        assertThat(r.body()).isEqualTo(RATE_LIMITED.getBytes(StandardCharsets.UTF_8));
                    }))
                    .verifyComplete();
        }
    }

    @Test
    void shouldRefuseWith529WhenUpstreamIsOverloaded() {
        STUB.answer(529, "application/json", OVERLOADED.getBytes(StandardCharsets.UTF_8), Map.of());

        for (Mono<UpstreamResult> call : List.of(adapter.complete(passThrough(STUB.baseUrl(), Map.of(), Map.of())),
                adapter.stream(translated(STUB.baseUrl(), Map.of())))) {
            StepVerifier.create(call)
                    .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class, r -> {
                        assertThat(r.status()).isEqualTo(529);
                        assertThat(r.message()).isEqualTo("Overloaded");
                        assertThat(r.retryAfter()).isNull();
                    }))
                    .verifyComplete();
        }
    }

    @Test
    void shouldFailUnreachableWhenNothingListensAtBaseUrl() {
        StepVerifier.create(adapter.complete(passThrough("http://127.0.0.1:1", Map.of(), Map.of())))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
        StepVerifier.create(adapter.stream(translated("http://127.0.0.1:1", Map.of())))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
    }

    @Test
    void shouldSignalUntranslatableWithoutCallingUpstreamWhenRequestCannotBeExpressed() {
        STUB.lastBody.set(null);
        ChatRequest twoAnswers = new ChatRequest("gpt-4o", List.of(),
                List.of(new Message(Message.Role.USER, List.of(Part.Text.of("hi")))), null, null, null, null, null, null,
                null, false, 2, null, null, null, null, null, null);
        UpstreamCall call = new UpstreamCall(channel(STUB.baseUrl(), Map.of(), Map.of()), Dialect.OPENAI,
                Json.mapper().createObjectNode(), new byte[0], "gpt-4o", false, twoAnswers);

        Mono<UpstreamResult> complete = adapter.complete(call);
        StepVerifier.create(complete)
                .expectError(Untranslatable.class)
                .verify(VERIFY);
        assertThat(STUB.lastBody.get()).isNull();
    }

    @Test
    void shouldServeOnlyAnthropicChannelsWhenAskedByProvider() {
        assertThat(adapter.supports("anthropic")).isTrue();
        assertThat(adapter.supports("Anthropic")).isTrue();
        assertThat(adapter.supports("openai")).isFalse();
        assertThat(adapter.supports("bedrock")).isFalse();
        assertThat(adapter.dialect()).isEqualTo(Dialect.ANTHROPIC);
    }

    @Test
    void shouldBuildMessagesUrlWhenBaseUrlHasSlashOrVersionSuffix() {
        assertThat(AnthropicAdapter.messagesUrl("https://api.anthropic.com")).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(AnthropicAdapter.messagesUrl("https://api.anthropic.com/")).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(AnthropicAdapter.messagesUrl("https://api.anthropic.com/v1")).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(AnthropicAdapter.messagesUrl("https://proxy.example/anthropic/v1/"))
                .isEqualTo("https://proxy.example/anthropic/v1/messages");
    }

    // ---- helpers ----

    private static Channel channel(String baseUrl, Map<String, Object> config, Map<String, String> mapping) {
        return new Channel(7, "claude", "anthropic", baseUrl, "sk-ant-test", config, Set.of("claude-x", "gpt-4o"),
                mapping, Set.of("default"), 0, 1, true, false, false, 1);
    }

    private static UpstreamCall passThrough(String baseUrl, Map<String, Object> config, Map<String, String> mapping) {
        byte[] raw = CLIENT_BODY.getBytes(StandardCharsets.UTF_8);
        return new UpstreamCall(channel(baseUrl, config, mapping), Dialect.ANTHROPIC,
                (ObjectNode) Json.mapper().readTree(raw), raw, "claude-x", false);
    }

    private static UpstreamCall translated(String baseUrl, Map<String, String> mapping) {
        ChatRequest chat = new ChatRequest("gpt-4o", List.of(),
                List.of(new Message(Message.Role.USER, List.of(Part.Text.of("hi")))), null, null, null, null, null, null,
                null, false, 1, null, null, null, null, null, null);
        String openAi = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        byte[] raw = openAi.getBytes(StandardCharsets.UTF_8);
        return new UpstreamCall(channel(baseUrl, Map.of(), mapping), Dialect.OPENAI,
                (ObjectNode) Json.mapper().readTree(raw), raw, "gpt-4o", false, chat);
    }

    /** A stand-in for {@code POST /v1/messages}: answers what the test set, remembers what it was sent. */
    private static final class Stub {

        final AtomicReference<HttpHeaders> lastHeaders = new AtomicReference<>();
        final AtomicReference<String> lastPath = new AtomicReference<>();
        final AtomicReference<byte[]> lastBody = new AtomicReference<>();
        private final AtomicReference<Answer> answer = new AtomicReference<>();
        final DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            lastHeaders.set(request.requestHeaders().copy());
                            lastPath.set(request.uri());
                            lastBody.set(body);
                            Answer a = answer.get();
                            a.headers().forEach(response::header);
                            return response.status(HttpResponseStatus.valueOf(a.status()))
                                    .header("content-type", a.contentType())
                                    .sendByteArray(Mono.just(a.body()))
                                    .then();
                        }))
                .bindNow();

        record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        }

        void answer(int status, String contentType, byte[] body, Map<String, String> headers) {
            answer.set(new Answer(status, contentType, body, new LinkedHashMap<>(headers)));
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.port();
        }
    }
}
