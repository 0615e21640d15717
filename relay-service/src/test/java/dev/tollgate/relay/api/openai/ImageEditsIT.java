package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImagesResponse;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayCalls;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/images/edits} through the running relay: the official OpenAI SDK's upload of two images to an OpenAI
 * channel and a plain multipart upload (image and mask) to an Azure deployment, each re-encoded with the channel's
 * model name, answered as the upstream answered, and billed per image plus the tokens GPT Image reports (the input
 * images' among them); an oversized image refused with 413 and a form without prompt with 400, in OpenAI's error
 * JSON, before any upstream is called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ImageEditsIT {

    private static final Simulator SIM = Simulator.start(0);
    /** Small, so the oversized case need not send 50 MB. */
    private static final int MAX_IMAGE_BYTES = 100 * 1024;
    private static final int PROMPT = 12;
    private static final long IMAGE_TOKENS = 194;
    private static RelayFixture fixture;
    private static String key;

    /** gpt-image-1's $5 / $40 per million tokens, plus 4 cents an image. */
    private static final Price EDIT_PRICE = new Price(5_000_000, 40_000_000, 0, 0, 0, 40_000, 0);
    private static final Price DALL_E_2_PRICE = new Price(0, 0, 0, 0, 0, 20_000, 0);

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-image-edits");
        registry.add("tollgate.relay.max-image-bytes", () -> MAX_IMAGE_BYTES + "B");
        registry.add("tollgate.relay.max-image-upload-bytes", () -> (3 * MAX_IMAGE_BYTES) + "B");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("image-edits", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim", List.of("edit", "dall-e-2"),
                Map.of("edit", "gpt-image-1"), null);
        fixture.insertChannel("sim-azure", "azure", SIM.azureBaseUrl(), "azure-key", List.of("edit-azure"),
                Map.of(), Map.of("apiVersion", "2025-04-01-preview", "deployments", Map.of("edit-azure", "img-prod")));
        fixture.insertPrice("edit", EDIT_PRICE);
        fixture.insertPrice("edit-azure", EDIT_PRICE);
        fixture.insertPrice("dall-e-2", DALL_E_2_PRICE);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withPromptTokens(PROMPT));
        RelayFixture.awaitReady(client);
    }

    @Test
    void shouldEditTwoImagesWithTheSdkOnAnOpenAiChannelAndBillEachImageAndTheTokens() {
        OpenAIClient sdk = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();

        HttpResponseFor<ImagesResponse> raw = sdk.withRawResponse().images().edit(ImageEditParams.builder()
                .imageOfInputStreams(List.of(new ByteArrayInputStream(ImageEditsRequestValidatorTest.PNG),
                        new ByteArrayInputStream(ImageEditsRequestValidatorTest.PNG)))
                .prompt("Put both otters in one picture")
                .model("edit")
                .n(2)
                .size(ImageEditParams.Size._1024X1024)
                .build());

        ImagesResponse response = raw.parse();
        assertThat(response.data().orElseThrow()).hasSize(2);
        assertThat(response.data().orElseThrow().get(0).b64Json()).isPresent();
        long input = PROMPT + 2 * IMAGE_TOKENS;
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(input);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/images/edits");
        assertThat(sent.header("content-type")).startsWith("multipart/form-data");
        assertThat(sent.body().path("model").asString()).as("the channel's model name").isEqualTo("gpt-image-1");
        assertThat(sent.body().path("n").asString()).isEqualTo("2");
        assertThat(sent.body().path("size").asString()).isEqualTo("1024x1024");
        JsonNode images = imagesSent(sent.body());
        assertThat(images).hasSize(2);
        assertThat(images.get(0).path("content_type").asString()).as("the sniffed type").isEqualTo("image/png");
        assertThat(images.get(1).path("bytes").asInt()).isEqualTo(ImageEditsRequestValidatorTest.PNG.length);

        UsageEvent event = fixture.awaitUsage(e -> e.requestId().equals(raw.requestId().orElseThrow()));
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.modelServed()).isEqualTo("gpt-image-1");
        assertThat(event.tokens()).isEqualTo(new TokenUsage(input, 0, 0, 544, 0, 1, 2, 0));
        // 2 × 40,000 per image + 400 input tokens × $5/M (2,000) + 544 output × $40/M (21,760).
        assertThat(Cost.micros(event.tokens(), EDIT_PRICE, 10_000)).isEqualTo(80_000 + input * 5 + 544 * 40);
    }

    @Test
    void shouldSendAPlainMultipartEditToTheAzureDeploymentsPath() {
        MultipartBodyBuilder form = form("edit-azure", "image", ImageEditsRequestValidatorTest.PNG);
        form.part("mask", RelayFixture.file("mask.png", ImageEditsRequestValidatorTest.PNG)).contentType(MediaType.IMAGE_PNG);

        EntityExchangeResult<byte[]> result = upload(form, 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.at("/data/0/b64_json").asString()).isNotEmpty();
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/img-prod/images/edits");
        assertThat(sent.query()).contains("api-version=2025-04-01-preview");
        assertThat(sent.header("api-key")).as("Azure's key header").isNotNull();
        assertThat(sent.body().path("mask").path("filename").asString()).isEqualTo("mask.png");
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.provider()).isEqualTo("azure");
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT + IMAGE_TOKENS, 0, 0, 272, 0, 1, 1, 0));
        assertThat(Cost.micros(event.tokens(), EDIT_PRICE, 10_000))
                .isEqualTo(40_000 + (PROMPT + IMAGE_TOKENS) * 5 + 272 * 40);
    }

    @Test
    void shouldBillADallE2EditPerImageAlone() {
        MultipartBodyBuilder form = form(null, "image", ImageEditsRequestValidatorTest.PNG);
        form.part("n", "3");

        EntityExchangeResult<byte[]> result = upload(form, 200);

        assertThat(Json.mapper().readTree(result.getResponseBody()).path("data")).hasSize(3);
        assertThat(SIM.lastRequest().body().has("model")).as("the upstream's default, as asked").isFalse();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.modelAsked()).isEqualTo("dall-e-2");
        assertThat(event.tokens()).isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 1, 3, 0));
        assertThat(Cost.micros(event.tokens(), DALL_E_2_PRICE, 10_000)).isEqualTo(60_000);
    }

    @Test
    void shouldRefuseAnOversizedImageWith413InOpenAiJsonAndChargeNothing() {
        byte[] big = Arrays.copyOf(ImageEditsRequestValidatorTest.PNG, MAX_IMAGE_BYTES + 1);

        EntityExchangeResult<byte[]> result = upload(form("edit", "image[]", big), 413);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("message").asString()).contains(Integer.toString(MAX_IMAGE_BYTES));
        assertThat(error.path("type").asString()).isNotBlank();
        assertThat(SIM.requests()).as("no upstream called").isEmpty();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(event.httpStatus()).isEqualTo(413);
        assertThat(event.tokens()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void shouldRefuseAFormWithoutPromptOrAJsonBodyIn400WithoutCallingUpstream() {
        MultipartBodyBuilder noPrompt = new MultipartBodyBuilder();
        noPrompt.part("model", "edit");
        noPrompt.part("image", RelayFixture.file("a.png", ImageEditsRequestValidatorTest.PNG))
                .contentType(MediaType.IMAGE_PNG);
        JsonNode error = Json.mapper().readTree(upload(noPrompt, 400).getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("prompt");

        JsonNode notImage = Json.mapper().readTree(upload(form("edit", "image", "plain text".getBytes()), 400)
                .getResponseBody()).path("error");
        assertThat(notImage.path("param").asString()).isEqualTo("image");
        assertThat(notImage.path("message").asString()).contains("unsupported mimetype");

        EntityExchangeResult<byte[]> json = client.post().uri("/v1/images/edits")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"edit\",\"prompt\":\"p\"}")
                .exchange()
                .expectStatus().isEqualTo(400)
                .expectBody().returnResult();
        assertThat(Json.mapper().readTree(json.getResponseBody()).at("/error/message").asString())
                .contains("multipart/form-data");
        assertThat(SIM.requests()).isEmpty();
    }

    /** The image parts the simulator recorded, under whichever name the client used, as an array. */
    private static JsonNode imagesSent(JsonNode form) {
        JsonNode images = form.has("image[]") ? form.get("image[]") : form.path("image");
        return images.isArray() ? images : Json.mapper().createArrayNode().add(images);
    }

    private static MultipartBodyBuilder form(String model, String part, byte[] image) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        if (model != null) {
            form.part("model", model);
        }
        form.part("prompt", "Add a red hat");
        form.part(part, RelayFixture.file("otter.png", image)).contentType(MediaType.IMAGE_PNG);
        return form;
    }

    private EntityExchangeResult<byte[]> upload(MultipartBodyBuilder form, int status) {
        return RelayCalls.upload(client, "/v1/images/edits", key, form, status);
    }
}
