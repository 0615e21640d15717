package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/v1/chat/completions";
    // 44 characters of message text → 11 estimated prompt tokens.
    private static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"You are terse.\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is the capital of France?\"}]}]";
    private static final String PLAIN = "{\"model\":\"my-model\",\"messages\":" + MESSAGES + "}";
    private static final String STREAM = "{\"model\":\"my-model\",\"stream\":true,\"messages\":" + MESSAGES + "}";
    private static final String STREAM_WITH_USAGE = "{\"model\":\"my-model\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},\"messages\":" + MESSAGES + "}";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerWithDeterministicTextAndEstimatedUsageWhenNotStreaming() throws Exception {
        HttpResponse<String> response = client.post(PATH, PLAIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asString()).startsWith("chatcmpl-");
        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asString()).isEqualTo("my-model");
        assertThat(body.at("/choices/0/index").asInt()).isZero();
        assertThat(body.at("/choices/0/message/role").asString()).isEqualTo("assistant");
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(11);
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(5);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(16);
        assertThat(body.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isZero();
        assertThat(body.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isZero();
        assertThat(sim.stats().requests()).isEqualTo(1);
        assertThat(sim.stats().completed()).isEqualTo(1);
        assertThat(sim.stats().inFlight()).isZero();
    }

    @Test
    void shouldReportConfiguredUsageWhenTokensAreFixed() throws Exception {
        sim.config(SimulatorConfig.defaults()
                .withChunks(2)
                .withPromptTokens(100)
                .withCompletionTokens(40)
                .withCachedTokens(60)
                .withReasoningTokens(30));

        JsonNode usage = JSON.readTree(client.post(PATH, PLAIN).body()).path("usage");

        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(100);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(40);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(140);
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(60);
        assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(30);
    }

    @Test
    void shouldStreamChunksAndDoneWithoutUsageWhenUsageIsNotAsked() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(3));

        HttpResponse<String> response = client.post(PATH, STREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = SimClient.events(response.body());
        assertThat(events).hasSize(1 + 3 + 1 + 1).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = parse(events.subList(0, events.size() - 1));
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("model").asString()).isEqualTo("my-model");
            assertThat(chunk.has("usage")).isFalse();
        });
        assertThat(chunks.stream().map(chunk -> chunk.path("id").asString()).distinct()).hasSize(1);
        assertThat(chunks.get(0).at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        assertThat(chunks.get(0).at("/choices/0/delta/content").asString()).isEmpty();
        assertThat(chunks.subList(1, 4)).extracting(chunk -> chunk.at("/choices/0/delta/content").asString())
                .containsExactly("tok0 ", "tok1 ", "tok2 ");
        assertThat(chunks.get(4).at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(chunks.get(4).at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(sim.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldEndWithAUsageChunkAndNullUsageElsewhereWhenIncludeUsageIsAsked() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(4).withCachedTokens(3).withReasoningTokens(2));

        List<String> events = SimClient.events(client.post(PATH, STREAM_WITH_USAGE).body());

        assertThat(events).hasSize(1 + 4 + 1 + 1 + 1).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = parse(events.subList(0, events.size() - 1));
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> {
            assertThat(chunk.has("usage")).isTrue();
            assertThat(chunk.path("usage").isNull()).isTrue();
        });
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/prompt_tokens").asInt()).isEqualTo(11);
        assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertThat(usageChunk.at("/usage/total_tokens").asInt()).isEqualTo(15);
        assertThat(usageChunk.at("/usage/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(3);
        assertThat(usageChunk.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void shouldFlushEachChunkAsItIsProducedWhenChunksAreDelayed() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(4).withChunkDelayMs(200));

        HttpResponse<InputStream> response = client.open(PATH, STREAM);
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = SimClient.reader(response.body())) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }

        // role + 4 content + stop + [DONE]; the first content chunk must arrive long before the last one.
        assertThat(arrivals).hasSize(7);
        long spreadMs = Duration.ofNanos(arrivals.get(4) - arrivals.get(1)).toMillis();
        assertThat(spreadMs).isGreaterThanOrEqualTo(450);
    }

    @Test
    void shouldFailTheConfiguredNumberOfTimesThenSucceed() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailure(503, 2));

        HttpResponse<String> first = client.post(PATH, PLAIN);
        HttpResponse<String> second = client.post(PATH, STREAM);
        HttpResponse<String> third = client.post(PATH, PLAIN);

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        JsonNode error = JSON.readTree(first.body()).path("error");
        assertThat(error.path("message").asString()).isEqualTo("simulated failure");
        assertThat(error.path("type").asString()).isEqualTo("server_error");
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("code").asString()).isEqualTo("simulated");
        assertThat(sim.stats().failed()).isEqualTo(2);
        assertThat(sim.stats().completed()).isEqualTo(1);
        assertThat(sim.stats().requests()).isEqualTo(3);
    }

    @Test
    void shouldFailEveryRequestWhenFailTimesIsUnset() throws Exception {
        sim.config(SimulatorConfig.defaults().withFailStatus(500));

        for (int i = 0; i < 3; i++) {
            assertThat(client.post(PATH, PLAIN).statusCode()).isEqualTo(500);
        }
        assertThat(sim.stats().failed()).isEqualTo(3);
    }

    @Test
    void shouldFailOneRequestWhenItCarriesTheFailHeader() throws Exception {
        HttpResponse<String> failed = client.post(PATH, PLAIN, OpenAiHandler.FAIL_HEADER, "429");
        HttpResponse<String> next = client.post(PATH, PLAIN);

        assertThat(failed.statusCode()).isEqualTo(429);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(sim.stats().failed()).isEqualTo(1);
    }

    @Test
    void shouldDropTheConnectionWithoutDoneWhenCutAfterChunks() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(5).withCutAfterChunks(2));

        HttpResponse<InputStream> response = client.open(PATH, STREAM_WITH_USAGE);
        List<String> events = SimClient.readEvents(response.body());

        assertThat(events).hasSize(1 + 2).doesNotContain("[DONE]");
        assertThat(parse(events.subList(1, 3))).extracting(chunk -> chunk.at("/choices/0/delta/content").asString())
                .containsExactly("tok0 ", "tok1 ");
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().inFlight() == 0);
        assertThat(sim.stats().failed()).isEqualTo(1);
        assertThat(sim.stats().completed()).isZero();
        assertThat(sim.stats().cancelled()).isZero();
    }

    @Test
    void shouldCountACancelledStreamWhenTheClientGoesAwayMidStream() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(50).withChunkDelayMs(100));

        HttpResponse<InputStream> response = client.open(PATH, STREAM);
        List<String> events = new ArrayList<>();
        BufferedReader reader = SimClient.reader(response.body());
        while (events.size() < 3) {
            String line = reader.readLine();
            if (line.startsWith("data: ")) {
                events.add(line);
            }
        }
        // Closing the body cancels the HttpClient's subscription, which closes the HTTP/1.1 connection.
        reader.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().cancelled() == 1);
        assertThat(sim.stats().inFlight()).isZero();
        assertThat(sim.stats().completed()).isZero();
    }

    @Test
    void shouldCountACancelledRequestWhenTheClientGoesAwayDuringLatency() throws Exception {
        sim.config(SimulatorConfig.defaults().withLatencyMs(10_000));
        byte[] body = PLAIN.getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket("127.0.0.1", sim.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().inFlight() == 1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats().cancelled() == 1);
        assertThat(sim.stats().inFlight()).isZero();
    }

    @Test
    void shouldDelayTheFirstByteByTheConfiguredLatency() throws Exception {
        sim.config(SimulatorConfig.defaults().withLatencyMs(300));

        long start = System.nanoTime();
        HttpResponse<String> response = client.post(PATH, PLAIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void shouldAnswer400WithAnOpenAiErrorWhenTheBodyIsMalformed() throws Exception {
        HttpResponse<String> malformed = client.post(PATH, "{\"model\":");
        HttpResponse<String> noModel = client.post(PATH, "{\"messages\":[]}");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noModel.body()).at("/error/param").asString()).isEqualTo("model");
        assertThat(sim.stats().requests()).isEqualTo(2);
        assertThat(sim.stats().failed()).isZero();
        assertThat(sim.stats().inFlight()).isZero();
    }

    private static List<JsonNode> parse(List<String> events) {
        return events.stream().map(JSON::readTree).toList();
    }
}
