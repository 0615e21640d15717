package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** {@code /v1/images/edits}' form as read → the checked request, or OpenAI's 400 (413) naming the field. */
class ImageEditsRequestValidatorTest {

    /** A real 1×1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
            + "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};
    static final byte[] WEBP = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '};

    @Test
    void shouldDescribeEachImageAndTheMaskAndCarryTheirBytesEndToEnd() {
        FormUpload upload = new Form().field("model", "gpt-image-1").field("prompt", "Add a hat").field("n", "2")
                .field("size", "1024x1024").field("quality", "low").field("user", "u-1")
                .file("image[]", "a.png", "application/octet-stream", PNG)
                .file("image[]", "b.jpg", "image/jpeg", JPEG)
                .file("mask", "m.png", "image/png", PNG)
                .upload();

        InboundRequest request = ImageEditsRequestValidator.validate(upload);

        assertThat(request.model()).isEqualTo("gpt-image-1");
        assertThat(request.choices()).as("n images, priced per image").isEqualTo(2);
        assertThat(request.maxTokens()).isZero();
        assertThat(request.stream()).isFalse();
        ObjectNode tree = request.tree();
        assertThat(tree.path("size").asString()).isEqualTo("1024x1024");
        assertThat(tree.path("image")).hasSize(2);
        assertThat(tree.at("/image/0/part").asString()).isEqualTo("image[]");
        assertThat(tree.at("/image/0/content_type").asString()).as("sniffed, not the declared octet-stream")
                .isEqualTo("image/png");
        assertThat(tree.at("/image/1/offset").asInt()).isEqualTo(PNG.length);
        assertThat(tree.at("/image/1/content_type").asString()).isEqualTo("image/jpeg");
        assertThat(tree.at("/mask/offset").asInt()).isEqualTo(PNG.length + JPEG.length);
        byte[] raw = request.raw();
        assertThat(raw).hasSize(PNG.length * 2 + JPEG.length);
        assertThat(Arrays.copyOfRange(raw, PNG.length, PNG.length + JPEG.length)).isEqualTo(JPEG);
    }

    @Test
    void shouldDefaultToDallE2AndOneImage() {
        InboundRequest request = ImageEditsRequestValidator.validate(new Form().field("prompt", "p")
                .file("image", "a.png", "image/png", PNG).upload());

        assertThat(request.model()).isEqualTo("dall-e-2");
        assertThat(request.choices()).isEqualTo(1);
        assertThat(request.raw()).isEqualTo(PNG);
    }

    @Test
    void shouldTakeWebpAndUpToSixteenImagesForGptImage() {
        Form form = new Form().field("model", "gpt-image-1").field("prompt", "p");
        for (int i = 0; i < ImageEditsRequestValidator.MAX_IMAGES; i++) {
            form.file("image[]", i + ".webp", "image/webp", WEBP);
        }
        assertThat(ImageEditsRequestValidator.validate(form.upload()).tree().path("image"))
                .hasSize(ImageEditsRequestValidator.MAX_IMAGES);

        form.file("image[]", "17.webp", "image/webp", WEBP);
        assertParam(form.upload(), "image", 400);
    }

    @Test
    void shouldRefuseMissingOrBadFieldsIn400NamingThem() {
        assertParam(new Form().field("prompt", "p").upload(), "image", 400);
        assertParam(new Form().file("image", "a.png", "image/png", PNG).upload(), "prompt", 400);
        assertParam(new Form().field("prompt", " ").file("image", "a.png", "image/png", PNG).upload(), "prompt", 400);
        assertParam(new Form().field("prompt", "p").field("prompt", "q").file("image", "a.png", "image/png", PNG)
                .upload(), "prompt", 400);
        assertParam(new Form().field("prompt", "p").field("n", "11").file("image", "a.png", "image/png", PNG)
                .upload(), "n", 400);
        assertParam(new Form().field("prompt", "p").field("n", "two").file("image", "a.png", "image/png", PNG)
                .upload(), "n", 400);
        assertParam(new Form().field("prompt", "p").field("response_format", "gif")
                .file("image", "a.png", "image/png", PNG).upload(), "response_format", 400);
        assertParam(new Form().field("prompt", "p").field("stream", "true")
                .file("image", "a.png", "image/png", PNG).upload(), "stream", 400);
        assertParam(new Form().field("prompt", "p").field("image", "https://example.com/a.png").upload(), "image",
                400);
        assertParam(new Form().field("prompt", "p").file("image", "a.png", "image/png", new byte[0]).upload(),
                "image", 400);
    }

    @Test
    void shouldRefuseAFileThatIsNoSupportedImageIn400() {
        byte[] text = "hello".getBytes();
        assertParam(new Form().field("model", "gpt-image-1").field("prompt", "p")
                .file("image", "a.png", "image/png", text).upload(), "image", 400);
        assertParam(new Form().field("model", "gpt-image-1").field("prompt", "p")
                .file("image", "a.png", "image/png", PNG).file("mask", "m.jpg", "image/jpeg", JPEG).upload(),
                "mask", 400);
        assertParam(new Form().field("prompt", "p").file("image", "a.jpg", "image/jpeg", JPEG).upload(), "image",
                400);
    }

    @Test
    void shouldHoldDallE2ToOnePngOfFourMegabytes() {
        assertParam(new Form().field("model", "dall-e-2").field("prompt", "p")
                .file("image", "a.png", "image/png", PNG).file("image", "b.png", "image/png", PNG).upload(),
                "image", 400);
        byte[] big = Arrays.copyOf(PNG, (int) ImageEditsRequestValidator.DALL_E_2_MAX_BYTES + 1);
        assertThatThrownBy(() -> ImageEditsRequestValidator.validate(new Form().field("prompt", "p")
                .file("image", "big.png", "image/png", big).upload()))
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(413);
                    assertThat(rejection.getMessage()).contains("4194304");
                });
        byte[] exact = Arrays.copyOf(PNG, (int) ImageEditsRequestValidator.DALL_E_2_MAX_BYTES);
        assertThat(ImageEditsRequestValidator.validate(new Form().field("prompt", "p")
                .file("image", "exact.png", "image/png", exact).upload()).raw()).hasSize(exact.length);
    }

    private static void assertParam(FormUpload upload, String param, int status) {
        assertThatThrownBy(() -> ImageEditsRequestValidator.validate(upload))
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(status);
                    assertThat(rejection.param()).isEqualTo(param);
                });
    }

    /** A form as the reader hands it on. */
    private static final class Form {
        private final ObjectNode fields = Json.mapper().createObjectNode();
        private final List<FormUpload.UploadedFile> files = new ArrayList<>();

        Form field(String name, String value) {
            if (fields.has(name)) {
                String first = fields.get(name).asString();
                fields.putArray(name).add(first).add(value);
            } else {
                fields.put(name, value);
            }
            return this;
        }

        Form file(String part, String name, String type, byte[] bytes) {
            files.add(new FormUpload.UploadedFile(part, name, type, bytes));
            return this;
        }

        FormUpload upload() {
            return new FormUpload(fields.deepCopy(), files);
        }
    }
}
