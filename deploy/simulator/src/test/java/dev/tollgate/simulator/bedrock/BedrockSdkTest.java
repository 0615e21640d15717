package dev.tollgate.simulator.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** The real AWS SDK against the simulator: its signing, JSON protocol and event-stream decoding all accept it. */
class BedrockSdkTest {

    private static final Simulator SIM = Simulator.start(0);
    private static BedrockRuntimeAsyncClient bedrock;

    private static final ToolConfiguration TOOLS = ToolConfiguration.builder()
            .tools(Tool.fromToolSpec(ToolSpecification.builder()
                    .name("get_weather")
                    .description("Weather for a city")
                    .inputSchema(ToolInputSchema.fromJson(Document.mapBuilder()
                            .putString("type", "object")
                            .putDocument("properties", Document.mapBuilder()
                                    .putDocument("city", Document.mapBuilder().putString("type", "string").build())
                                    .build())
                            .putList("required", List.of(Document.fromString("city")))
                            .build()))
                    .build()))
            .build();
    private static final Message ASK = Message.builder()
            .role(ConversationRole.USER)
            .content(ContentBlock.fromText("Weather in Paris?"))
            .build();

    @BeforeAll
    static void client() {
        bedrock = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(URI.create(SIM.bedrockEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIM", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void close() {
        bedrock.close();
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
    }

    @Test
    void shouldConverseWithAToolCallThenTheToolResultThroughTheSdk() throws Exception {
        SIM.config(SimulatorConfig.defaults().withPromptTokens(50).withCachedTokens(20).withCacheWriteTokens(10));

        ConverseResponse call = bedrock.converse(r -> r.modelId(BedrockHandlerTest.MODEL)
                .messages(ASK).toolConfig(TOOLS)).get(10, TimeUnit.SECONDS);

        assertThat(call.stopReason()).isEqualTo(StopReason.TOOL_USE);
        ToolUseBlock toolUse = call.output().message().content().get(0).toolUse();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse.input().asMap().get("city").asString()).isEqualTo("sim");
        assertThat(call.usage().inputTokens()).isEqualTo(20);
        assertThat(call.usage().cacheReadInputTokens()).isEqualTo(20);
        assertThat(call.usage().cacheWriteInputTokens()).isEqualTo(10);
        assertThat(SIM.lastRequest().decodedPath()).isEqualTo("/model/" + BedrockHandlerTest.MODEL + "/converse");

        Message toolResult = Message.builder().role(ConversationRole.USER)
                .content(ContentBlock.fromToolResult(ToolResultBlock.builder()
                        .toolUseId(toolUse.toolUseId())
                        .content(ToolResultContentBlock.fromText("sunny"))
                        .build()))
                .build();
        ConverseResponse answer = bedrock.converse(r -> r.modelId(BedrockHandlerTest.MODEL).toolConfig(TOOLS)
                .messages(ASK, call.output().message(), toolResult)).get(10, TimeUnit.SECONDS);

        assertThat(answer.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(answer.output().message().content().get(0).text()).isEqualTo("tool said sunny");
    }

    @Test
    void shouldStreamAToolCallThroughTheSdk() throws Exception {
        List<String> events = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        List<ConverseStreamMetadataEvent> metadata = new ArrayList<>();
        List<String> stopReasons = new ArrayList<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onMessageStart(e -> events.add("messageStart"))
                        .onContentBlockStart(e -> events.add("contentBlockStart:" + e.start().toolUse().name()))
                        .onContentBlockDelta(e -> {
                            events.add("contentBlockDelta");
                            input.append(e.delta().toolUse().input());
                        })
                        .onContentBlockStop(e -> events.add("contentBlockStop"))
                        .onMessageStop(e -> stopReasons.add(e.stopReasonAsString()))
                        .onMetadata(metadata::add)
                        .build())
                .build();

        bedrock.converseStream(r -> r.modelId(BedrockHandlerTest.MODEL).messages(ASK).toolConfig(TOOLS), handler)
                .get(10, TimeUnit.SECONDS);

        assertThat(events).containsExactly("messageStart", "contentBlockStart:get_weather", "contentBlockDelta",
                "contentBlockDelta", "contentBlockStop");
        assertThat(input.toString()).isEqualTo("{\"city\":\"sim\"}");
        assertThat(stopReasons).containsExactly("tool_use");
        assertThat(metadata).singleElement().satisfies(m -> {
            assertThat(m.usage().outputTokens()).isEqualTo(5);
            assertThat(m.metrics().latencyMs()).isNotNull();
        });
        assertThat(SIM.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldSurfaceAnInjectedThrottleAsTheSdksThrottlingException() {
        SIM.config(SimulatorConfig.defaults().withFailure(429, 1));

        assertThatThrownBy(() -> bedrock.converse(r -> r.modelId(BedrockHandlerTest.MODEL).messages(ASK))
                .get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ThrottlingException.class)
                .cause().hasMessageContaining("simulated failure");
    }
}
