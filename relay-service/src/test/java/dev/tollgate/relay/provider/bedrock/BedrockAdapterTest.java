package dev.tollgate.relay.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The adapter against a Bedrock stand-in speaking Converse JSON and event-stream frames, through the real SDK. */
class BedrockAdapterTest {

    private static final Duration VERIFY = Duration.ofSeconds(15);
    private static final String ASKED = "claude-sonnet-4";
    private static final String MODEL_ID = "us.anthropic.claude-sonnet-4-20250514-v1:0";
    private static final BedrockStub STUB = new BedrockStub();
    private static final BedrockClients CLIENTS = new BedrockClients(Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final BedrockAdapter ADAPTER = new BedrockAdapter(CLIENTS);

    @AfterAll
    static void close() {
        CLIENTS.close();
        STUB.close();
    }

    @BeforeEach
    void reset() {
        STUB.reset();
    }

    @Test
    void shouldSupportBedrockChannelsOnlyAndSpeakBedrock() {
        assertThat(ADAPTER.supports("bedrock")).isTrue();
        assertThat(ADAPTER.supports("Bedrock")).isTrue();
        assertThat(ADAPTER.supports("openai")).isFalse();
        assertThat(ADAPTER.dialect()).isEqualTo(Dialect.BEDROCK);
    }

    @Test
    void shouldAnswerCompletedWhenConverseSucceeds() {
        STUB.answer(BedrockStub.json(ConverseJson.golden("response-text.json")));

        StepVerifier.create(ADAPTER.complete(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Completed.class,
                        completed -> {
                            assertThat(completed.response().content()).containsExactly(Part.Text.of("Hello there."));
                            assertThat(completed.response().id()).isEqualTo("msg_bdrk_req-123");
                            assertThat(completed.response().model()).isEqualTo(MODEL_ID);
                            assertThat(completed.response().usage()).isEqualTo(new TokenUsage(12, 100, 50, 3, 0, 0, 0, 0));
                        }))
                .verifyComplete();

        BedrockStub.Received request = STUB.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse");
        assertThat(request.headers().get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/us-west-2/bedrock/aws4_request");
        JsonNode body = ConverseJson.tree(request.body());
        assertThat(body.at("/messages/0/content/0/text").asString()).isEqualTo("Hi");
    }

    @Test
    void shouldStreamTranslatedTextWhenConverseStreamSucceeds() {
        STUB.answer(BedrockStub.stream(ConverseJson.frames("stream-text.jsonl")));

        List<ChatEvent> events = streamedEvents(TestChat.asking("Hi").build());

        assertThat(events).containsExactly(
                new ChatEvent.Started("msg_bdrk_req-456", MODEL_ID),
                new ChatEvent.BlockStarted(0, Part.Text.of("")),
                new ChatEvent.TextDelta(0, "Hello"),
                new ChatEvent.TextDelta(0, " there."),
                new ChatEvent.BlockStopped(0),
                new ChatEvent.Finished(StopReason.END_TURN, null),
                new ChatEvent.UsageReported(TokenUsage.ofTokens(12, 3)),
                new ChatEvent.Ended());
        BedrockStub.Received request = STUB.received().get(0);
        assertThat(request.path()).isEqualTo("/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream");
        assertThat(request.headers().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
    }

    @Test
    void shouldStreamToolCallWhenModelCallsTool() {
        STUB.answer(BedrockStub.stream(ConverseJson.frames("stream-tool.jsonl")));
        TestChat chat = TestChat.asking("Weather in Paris?");
        chat.tools.add(new Tool("get_weather", null, TestChat.json("{\"type\":\"object\"}"), null, null));

        List<ChatEvent> events = streamedEvents(chat.build());

        assertThat(events).contains(
                new ChatEvent.BlockStarted(2, new Part.ToolUse("tooluse_abc", "get_weather", "", null)),
                new ChatEvent.ToolInputDelta(2, "{\"city\":"),
                new ChatEvent.ToolInputDelta(2, "\"Paris\"}"),
                new ChatEvent.Finished(StopReason.TOOL_USE, null));
        assertThat(events).last().isEqualTo(new ChatEvent.Ended());
        assertThat(ConverseJson.tree(STUB.received().get(0).body()).at("/toolConfig/tools/0/toolSpec/name").asString())
                .isEqualTo("get_weather");
    }

    @Test
    void shouldRefuseWithStatusWhenBedrockThrottlesBeforeStream() {
        STUB.answer(BedrockStub.error(429, "ThrottlingException", "Too many requests, please wait."));

        StepVerifier.create(ADAPTER.stream(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> {
                            assertThat(refused.status()).isEqualTo(429);
                            assertThat(refused.message()).isEqualTo("Too many requests, please wait.");
                        }))
                .verifyComplete();
        StepVerifier.create(ADAPTER.complete(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> assertThat(refused.status()).isEqualTo(429)))
                .verifyComplete();
        // The SDK does not retry: the relay does.
        assertThat(STUB.received()).hasSize(2);
    }

    @Test
    void shouldRefuseWithStatusWhenFirstStreamEventIsException() {
        STUB.answer(BedrockStub.streamException("throttlingException", "Too many tokens, please wait."));

        StepVerifier.create(ADAPTER.stream(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> {
                            assertThat(refused.status()).isEqualTo(429);
                            assertThat(refused.message()).isEqualTo("Too many tokens, please wait.");
                        }))
                .verifyComplete();
    }

    @Test
    void shouldRefuseWithStatusWhenBedrockRejectsRequest() {
        STUB.answer(BedrockStub.error(400, "ValidationException", "The model returned a validation error."));

        StepVerifier.create(ADAPTER.complete(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                .assertNext(result -> assertThat(result).isInstanceOfSatisfying(UpstreamResult.Refused.class,
                        refused -> {
                            assertThat(refused.status()).isEqualTo(400);
                            assertThat(refused.message()).isEqualTo("The model returned a validation error.");
                        }))
                .verifyComplete();
    }

    @Test
    void shouldErrorEventsWhenConnectionDropsMidStream() {
        // No messageStart: the first event is content, so it must reach the events after the stream was accepted.
        STUB.answer(BedrockStub.streamThenDrop(ConverseJson.frames("stream-text.jsonl").subList(1, 3)));

        UpstreamResult result = ADAPTER.stream(call(STUB.endpoint(), TestChat.asking("Hi").build())).block(VERIFY);

        assertThat(result).isInstanceOf(UpstreamResult.Translated.class);
        StepVerifier.create(((UpstreamResult.Translated) result).events())
                .expectNext(new ChatEvent.Started("msg_bdrk_req-456", MODEL_ID))
                .expectNext(new ChatEvent.BlockStarted(0, Part.Text.of("")))
                .expectNext(new ChatEvent.TextDelta(0, "Hello"))
                .expectNext(new ChatEvent.TextDelta(0, " there."))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
        // Not replayed by the SDK.
        assertThat(STUB.received()).hasSize(1);
    }

    @Test
    void shouldCloseUpstreamConnectionWhenEventsAreCancelled() {
        STUB.answer(BedrockStub.streamThenHold(ConverseJson.frames("stream-text.jsonl").subList(0, 2)));

        UpstreamResult result = ADAPTER.stream(call(STUB.endpoint(), TestChat.asking("Hi").build())).block(VERIFY);

        assertThat(result).isInstanceOf(UpstreamResult.Translated.class);
        StepVerifier.create(((UpstreamResult.Translated) result).events())
                .expectNext(new ChatEvent.Started("msg_bdrk_req-456", MODEL_ID))
                .expectNext(new ChatEvent.BlockStarted(0, Part.Text.of("")))
                .expectNext(new ChatEvent.TextDelta(0, "Hello"))
                .thenCancel()
                .verify(VERIFY);
        // Well within the read timeout, which would close it too.
        await().atMost(Duration.ofSeconds(5)).until(() -> STUB.received().get(0).closed().isDone());
    }

    @Test
    void shouldFailUnreachableWhenNothingListens() {
        Channel nowhere = channel(99, "http://127.0.0.1:1", 1);
        ChatRequest chat = TestChat.asking("Hi").build();

        StepVerifier.create(ADAPTER.complete(new UpstreamCall(nowhere, Dialect.OPENAI, null, null, ASKED, false, chat)))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
        StepVerifier.create(ADAPTER.stream(new UpstreamCall(nowhere, Dialect.OPENAI, null, null, ASKED, false, chat)))
                .expectError(UpstreamFailure.Unreachable.class)
                .verify(VERIFY);
    }

    @Test
    void shouldFailTimedOutWhenBedrockDoesNotAnswerInTime() {
        STUB.answer((request, response) -> Mono.never());
        try (BedrockClients impatient = new BedrockClients(Duration.ofSeconds(2), Duration.ofMillis(300))) {
            BedrockAdapter adapter = new BedrockAdapter(impatient);

            StepVerifier.create(adapter.complete(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                    .expectError(UpstreamFailure.TimedOut.class)
                    .verify(VERIFY);
            StepVerifier.create(adapter.stream(call(STUB.endpoint(), TestChat.asking("Hi").build())))
                    .expectError(UpstreamFailure.TimedOut.class)
                    .verify(VERIFY);
        }
    }

    @Test
    void shouldRefuseUntranslatableRequestBeforeCallingBedrock() {
        TestChat chat = TestChat.asking("Hi");
        chat.seed = 1L;

        StepVerifier.create(ADAPTER.stream(call(STUB.endpoint(), chat.build())))
                .expectError(Untranslatable.class)
                .verify(VERIFY);
        assertThat(STUB.received()).isEmpty();
    }

    @Test
    void shouldKeepStreamingWhenChannelChangesMidStream() {
        STUB.answer(BedrockStub.stream(ConverseJson.frames("stream-text.jsonl")));
        Channel channel = channel(42, STUB.endpoint(), 1);
        UpstreamResult result = ADAPTER.stream(new UpstreamCall(channel, Dialect.OPENAI, null, null, ASKED, false,
                TestChat.asking("Hi").build())).block(VERIFY);

        // A newer version of the channel replaces (and closes) the client the stream runs on.
        CLIENTS.clientFor(channel(42, STUB.endpoint(), 2));

        StepVerifier.create(((UpstreamResult.Translated) result).events())
                .expectNextCount(7)
                .expectNext(new ChatEvent.Ended())
                .verifyComplete();
    }

    private static List<ChatEvent> streamedEvents(ChatRequest chat) {
        UpstreamResult result = ADAPTER.stream(call(STUB.endpoint(), chat)).block(VERIFY);
        assertThat(result).isInstanceOf(UpstreamResult.Translated.class);
        Flux<ChatEvent> events = ((UpstreamResult.Translated) result).events();
        return events.collectList().block(VERIFY);
    }

    private static UpstreamCall call(String endpoint, ChatRequest chat) {
        return new UpstreamCall(channel(7, endpoint, 1), Dialect.OPENAI, null, null, ASKED, false, chat);
    }

    private static Channel channel(long id, String endpoint, long version) {
        return new Channel(id, "bedrock-stub", "bedrock", endpoint, "SECRETTEST",
                Map.of("region", "us-west-2", "accessKeyId", "AKIDTEST"), Set.of(ASKED), Map.of(ASKED, MODEL_ID),
                Set.of("default"), 0, 1, true, false, false, version);
    }
}
