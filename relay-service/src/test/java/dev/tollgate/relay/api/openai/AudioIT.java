package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.metering.TokenCounter;
import dev.tollgate.relay.support.RelayCalls;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/audio/transcriptions}, {@code /translations} and {@code /speech} through the running relay: a real
 * multipart upload of a generated WAV re-encoded to the channel with its model name, billed per audio second (the
 * WAV header's, or the upstream's stated duration) or by the tokens gpt-4o-transcribe reports; speech's bytes
 * handed back as they came and billed by its input's tokens; an oversized file refused with 413 before any upstream
 * is called, and nothing charged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class AudioIT {

    private static final Simulator SIM = Simulator.start(0);
    /** Small, so the oversized case need not send 25 MB. */
    private static final int MAX_AUDIO_BYTES = 200 * 1024;
    private static RelayFixture fixture;
    private static String key;

    /** $0.0001 per second (whisper-1's $0.006 a minute) and 10 micros per request. */
    private static final Price WHISPER_PRICE = new Price(0, 0, 0, 0, 10, 0, 100);
    private static final Price TTS_PRICE = Price.perMTok(15_000_000, 0);
    private static final Price GPT4O_TRANSCRIBE_PRICE = Price.perMTok(2_500_000, 10_000_000);

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-audio");
        registry.add("tollgate.relay.max-audio-bytes", () -> MAX_AUDIO_BYTES + "B");
        // Room for one upload at a time: a second while one is held gets a 503.
        registry.add("tollgate.relay.max-upload-memory", () -> "1KB");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("audio", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim",
                List.of("stt", "gpt-4o-transcribe", "tts"), Map.of("stt", "whisper-1", "tts", "tts-1"), null);
        fixture.insertChannel("sim-azure", "azure", SIM.azureBaseUrl(), "azure-key", List.of("stt-azure"),
                Map.of(), Map.of("apiVersion", "2024-10-21", "deployments", Map.of("stt-azure", "whisper-prod")));
        fixture.insertPrice("stt", WHISPER_PRICE);
        fixture.insertPrice("stt-azure", WHISPER_PRICE);
        fixture.insertPrice("tts", TTS_PRICE.inputMicrosPerMTok(), 0);
        fixture.insertPrice("gpt-4o-transcribe", GPT4O_TRANSCRIBE_PRICE.inputMicrosPerMTok(),
                GPT4O_TRANSCRIBE_PRICE.outputMicrosPerMTok());
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults());
        RelayFixture.awaitReady(client);
    }

    @Test
    void shouldTranscribeAWavUploadAndBillItsTwoSecondsFromTheHeader() {
        byte[] wav = Wavs.pcm16(16_000, 2_000);
        MultipartBodyBuilder form = form("stt", wav);
        form.part("language", "en");
        form.part("timestamp_granularities[]", "word");
        form.part("timestamp_granularities[]", "segment");

        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions", form, 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.path("text").asString()).contains("quick brown fox");
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(sent.header("content-type")).startsWith("multipart/form-data");
        assertThat(sent.body().path("model").asString()).as("the channel's model name").isEqualTo("whisper-1");
        assertThat(sent.body().path("language").asString()).isEqualTo("en");
        assertThat(sent.body().path("timestamp_granularities[]").toString()).isEqualTo("[\"word\",\"segment\"]");
        assertThat(sent.body().path("file").path("filename").asString()).isEqualTo("speech.wav");
        assertThat(sent.body().path("file").path("bytes").asInt()).as("the file, whole").isEqualTo(wav.length);

        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 1, 0, 2));
        assertThat(Cost.micros(event.tokens(), WHISPER_PRICE, 10_000)).as("2 s × 100 + 10 per request")
                .isEqualTo(210);
        assertThat(event.modelServed()).isEqualTo("whisper-1");
    }

    @Autowired
    UploadMemory uploadMemory;

    @Test
    void shouldAnswer503WhileOtherUploadsHoldTheMemoryBoundAndGiveTheRoomBackWhenTheyEnd() throws Exception {
        SIM.config(SimulatorConfig.defaults().withLatencyMs(1_500));
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.post().uri("/v1/audio/transcriptions").header("Authorization", "Bearer " + key)
                        .body(BodyInserters.fromMultipartData(form("stt", Wavs.pcm16(16_000, 2_000)).build()))
                        .exchange().returnResult(byte[].class).getStatus().value());
        await().atMost(Duration.ofSeconds(10)).until(() -> uploadMemory.held() > 0);

        EntityExchangeResult<byte[]> busy = upload("/v1/audio/transcriptions", form("stt", Wavs.pcm16(16_000, 500)), 503);

        JsonNode error = Json.mapper().readTree(busy.getResponseBody()).path("error");
        assertThat(error.path("message").asString()).contains("busy");
        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> uploadMemory.held() == 0);
        assertThat(SIM.requests()).as("only the first reached the upstream").hasSize(1);
        upload("/v1/audio/transcriptions", form("stt", Wavs.pcm16(16_000, 500)), 200);
    }

    @Test
    void shouldSendAzureTranscriptionsToTheDeploymentsAudioPath() {
        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions",
                form("stt-azure", Wavs.pcm16(16_000, 2_000)), 200);

        assertThat(Json.mapper().readTree(result.getResponseBody()).path("text").asString()).isNotBlank();
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/whisper-prod/audio/transcriptions");
        assertThat(sent.query()).contains("api-version=2024-10-21");
        assertThat(sent.header("api-key")).as("Azure's key header").isNotNull();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.tokens().audioSeconds()).isEqualTo(2);
        assertThat(event.provider()).isEqualTo("azure");
    }

    @Test
    void shouldTranscribeWithTheSdkAsVerboseJsonAndBillTheStatedDuration() throws Exception {
        OpenAIClient sdk = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
        // 3.2 s: the upstream's duration (3.2) is billed as 4 whole seconds. A file, so the SDK names it.
        java.nio.file.Path wav = java.nio.file.Files.createTempFile("tollgate-audio-it", ".wav");
        java.nio.file.Files.write(wav, Wavs.pcm16(8_000, 3_200));
        wav.toFile().deleteOnExit();
        HttpResponseFor<TranscriptionCreateResponse> raw = sdk.withRawResponse().audio().transcriptions().create(
                TranscriptionCreateParams.builder()
                        .file(wav)
                        .model("stt")
                        .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                        .build());

        TranscriptionCreateResponse response = raw.parse();
        assertThat(response.isVerbose()).isTrue();
        assertThat(response.asVerbose().duration()).isEqualTo(3.2);
        UsageEvent event = fixture.awaitUsage(e -> e.requestId().equals(raw.requestId().orElseThrow()));
        assertThat(event.tokens().audioSeconds()).isEqualTo(4);
        assertThat(event.estimated()).isFalse();
    }

    @Test
    void shouldBillTheTokensGpt4oTranscribeReports() {
        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions",
                form("gpt-4o-transcribe", Wavs.pcm16(16_000, 2_000)), 200);

        JsonNode usage = Json.mapper().readTree(result.getResponseBody()).path("usage");
        assertThat(usage.path("type").asString()).isEqualTo("tokens");
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.tokens()).isEqualTo(new TokenUsage(usage.path("input_tokens").asLong(), 0, 0,
                usage.path("output_tokens").asLong(), 0, 1, 0, 0));
        assertThat(event.tokens().inputTokens()).as("20 audio tokens for 2 s").isEqualTo(20);
    }

    @Test
    void shouldPassATextAnswerThroughAndTranslateToo() {
        MultipartBodyBuilder form = form("stt", Wavs.pcm16(16_000, 1_000));
        form.part("response_format", "text");

        EntityExchangeResult<byte[]> result = upload("/v1/audio/translations", form, 200);

        assertThat(result.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        assertThat(new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("The quick brown fox");
        assertThat(SIM.lastRequest().path()).isEqualTo("/v1/audio/translations");
        assertThat(fixture.usageOf(result).tokens().audioSeconds()).isEqualTo(1);
    }

    @Test
    void shouldBillAnMp3TextTranscriptionByTheLengthItsFramesState() {
        // LAME's 2.5 s (and its encoder delay): 2.56 s, billed as 3 whole seconds; whisper-1's text states none.
        byte[] mp3 = Mp3DurationTest.audio("cbr-info-44k-2.5s.mp3");
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("model", "stt");
        form.part("response_format", "text");
        form.part("file", RelayFixture.file("speech.mp3", mp3)).contentType(MediaType.parseMediaType("audio/mpeg"));

        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions", form, 200);

        assertThat(new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("The quick brown fox");
        assertThat(SIM.lastRequest().body().path("file").path("bytes").asInt()).isEqualTo(mp3.length);
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.estimated()).as("the length is known, not guessed").isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 1, 0, 3));
        assertThat(Cost.micros(event.tokens(), WHISPER_PRICE, 10_000)).as("3 s × 100 + 10 per request")
                .isEqualTo(310);
    }

    @Test
    void shouldRefuseAnOversizedFileWith413InOpenAiJsonAndChargeNothing() {
        MultipartBodyBuilder form = form("stt", new byte[MAX_AUDIO_BYTES + 1]);

        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions", form, 413);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("message").asString()).contains(Integer.toString(MAX_AUDIO_BYTES));
        assertThat(error.path("type").asString()).isNotBlank();
        assertThat(SIM.requests()).as("no upstream called").isEmpty();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(event.httpStatus()).isEqualTo(413);
        assertThat(event.tokens()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void shouldRefuseAFormWithoutAFileIn400WithoutCallingUpstream() {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("model", "stt");

        EntityExchangeResult<byte[]> result = upload("/v1/audio/transcriptions", form, 400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("file");
        assertThat(SIM.requests()).isEmpty();
    }

    @Test
    void shouldHandSpeechBytesBackAndBillTheInputAsTokens() {
        String input = "Tollgate relays speech as it comes.";
        EntityExchangeResult<byte[]> result = client.post().uri("/v1/audio/speech")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"tts\",\"input\":\"" + input + "\",\"voice\":\"alloy\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

        assertThat(result.getResponseHeaders().getContentType().toString()).isEqualTo("audio/mpeg");
        byte[] audio = result.getResponseBody();
        assertThat(audio).hasSize(4096);
        assertThat(audio[0]).isEqualTo((byte) 0xFF);
        assertThat(SIM.lastRequest().body().path("model").asString()).isEqualTo("tts-1");
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        long tokens = TokenCounter.count(input);
        assertThat(event.tokens()).isEqualTo(new TokenUsage(tokens, 0, 0, 0, 0, 1, 0, 0));
        assertThat(Cost.micros(event.tokens(), TTS_PRICE, 10_000)).as("$15 per million input tokens").isEqualTo(tokens * 15);
    }

    @Test
    void shouldPassASpeechRefusalOnInOpenAiJson() {
        EntityExchangeResult<byte[]> result = client.post().uri("/v1/audio/speech")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"tts\",\"voice\":\"alloy\"}")
                .exchange()
                .expectStatus().isEqualTo(400)
                .expectBody().returnResult();

        assertThat(Json.mapper().readTree(result.getResponseBody()).path("error").path("param").asString())
                .isEqualTo("input");
        assertThat(SIM.requests()).isEmpty();
    }

    private static MultipartBodyBuilder form(String model, byte[] file) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("model", model);
        form.part("file", RelayFixture.file("speech.wav", file)).contentType(MediaType.parseMediaType("audio/wav"));
        return form;
    }

    private EntityExchangeResult<byte[]> upload(String path, MultipartBodyBuilder form, int status) {
        return RelayCalls.upload(client, path, key, form, status);
    }
}
