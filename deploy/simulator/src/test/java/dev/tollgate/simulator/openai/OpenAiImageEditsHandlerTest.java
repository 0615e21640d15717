package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiImageEditsHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOUNDARY = "sim-edit-boundary";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] PNG = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
            + "QVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private final Simulator sim = Simulator.start(0);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldEditSeveralImagesWithGptImageAndReportTheirTokens() throws Exception {
        Form form = new Form().field("model", "gpt-image-1").field("prompt", "Add a hat").field("n", "2")
                .file("image[]", "a.png", PNG).file("image[]", "b.png", PNG).file("mask", "m.png", PNG);

        HttpResponse<String> response = post(sim.baseUrl() + "/images/edits", form, "Authorization", "Bearer sk");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.at("/data/0/b64_json").asString()).isNotEmpty();
        JsonNode usage = body.path("usage");
        assertThat(usage.at("/input_tokens_details/image_tokens").asLong())
                .isEqualTo(2 * OpenAiImageEditsHandler.IMAGE_TOKENS);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(3 + 2 * OpenAiImageEditsHandler.IMAGE_TOKENS);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(544);
        RecordedRequest sent = sim.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/images/edits");
        assertThat(sent.body().path("image[]")).hasSize(2);
        assertThat(sent.body().at("/image[]/1/filename").asString()).isEqualTo("b.png");
        assertThat(sent.body().at("/mask/bytes").asInt()).isEqualTo(PNG.length);
    }

    @Test
    void shouldAnswerDallE2WithAUrlAndNoUsageAndRefuseAFormWithoutImage() throws Exception {
        JsonNode body = JSON.readTree(post(sim.baseUrl() + "/images/edits",
                new Form().field("prompt", "p").file("image", "a.png", PNG), "Authorization", "Bearer sk").body());
        assertThat(body.at("/data/0/url").asString()).endsWith(".png");
        assertThat(body.has("usage")).isFalse();

        HttpResponse<String> refused = post(sim.baseUrl() + "/images/edits", new Form().field("prompt", "p"),
                "Authorization", "Bearer sk");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/error/param").asString()).isEqualTo("image");
    }

    @Test
    void shouldAnswerOnAzuresDeploymentPathWithItsKeyAndVersion() throws Exception {
        Form form = new Form().field("prompt", "p").file("image", "a.png", PNG);

        HttpResponse<String> answered = post(sim.azureBaseUrl()
                + "/openai/deployments/img-prod/images/edits?api-version=2025-04-01-preview", form, "api-key", "k");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answered.body()).at("/usage/input_tokens_details/image_tokens").asLong())
                .as("the deployment, a GPT Image model, answers").isEqualTo(OpenAiImageEditsHandler.IMAGE_TOKENS);
        assertThat(post(sim.azureBaseUrl() + "/openai/deployments/img-prod/images/edits", form, "api-key", "k")
                .statusCode()).as("no api-version").isEqualTo(404);
    }

    private static HttpResponse<String> post(String url, Form form, String header, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static final class Form {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n");
            return this;
        }

        Form file(String name, String fileName, byte[] content) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: image/png\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
