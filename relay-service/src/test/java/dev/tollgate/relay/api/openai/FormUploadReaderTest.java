package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;

/** The multipart reading and its limits, on bytes as a client sends them (in several network chunks). */
class FormUploadReaderTest {

    private static final String BOUNDARY = "----tollgate-test-boundary";
    private static final int LIMIT = 100_000;

    private final FormUploadReader reader = new FormUploadReader(FormUploadReader.Limits.oneFile("file", LIMIT,
            "the audio file"));
    /** Image edits' shape, small: 3 files of at most 1,000 bytes, 2,500 together. */
    private final FormUploadReader images = new FormUploadReader(new FormUploadReader.Limits(
            ImageEditsRequestValidator.FILE_PARTS, 3, 1_000, 2_500, "each image"));

    @Test
    void shouldReadTheFieldsAndTheFile() {
        byte[] wav = Wavs.pcm16(8_000, 2_000);
        byte[] body = new Form()
                .field("model", "whisper-1")
                .file("file", "speech.wav", "audio/wav", wav)
                .field("response_format", "verbose_json")
                .field("timestamp_granularities[]", "word")
                .field("timestamp_granularities[]", "segment")
                .bytes();

        FormUpload upload = reader.read(request(body, true)).block();

        assertThat(upload.fields().path("model").asString()).isEqualTo("whisper-1");
        assertThat(upload.fields().path("response_format").asString()).isEqualTo("verbose_json");
        assertThat(upload.fields().path("timestamp_granularities[]").toString()).isEqualTo("[\"word\",\"segment\"]");
        assertThat(upload.files()).hasSize(1);
        assertThat(upload.file("file").fileName()).isEqualTo("speech.wav");
        assertThat(upload.file("file").contentType()).isEqualTo("audio/wav");
        assertThat(upload.file("file").bytes()).isEqualTo(wav);

        InboundRequest inbound = TranscriptionRequestValidator.validate(upload);
        assertThat(inbound.model()).isEqualTo("whisper-1");
        assertThat(inbound.raw()).isEqualTo(wav);
        assertThat(inbound.tree().path("file").path("seconds").asLong()).isEqualTo(2);
        assertThat(inbound.tree().path("file").path("bytes").asLong()).isEqualTo(wav.length);
    }

    @Test
    void shouldRefuseAFileOverTheLimitWith413() {
        byte[] big = new byte[LIMIT + 1];
        byte[] body = new Form().field("model", "whisper-1").file("file", "big.mp3", "audio/mpeg", big).bytes();

        assertThatThrownBy(() -> reader.read(request(body, false)).block())
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind()).isEqualTo(Rejection.Kind.REQUEST_TOO_LARGE);
                    assertThat(rejection.kind().status()).isEqualTo(413);
                    assertThat(rejection.getMessage()).contains(Integer.toString(LIMIT));
                });
    }

    @Test
    void shouldRefuseADeclaredLengthFarOverTheLimitBeforeReading() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/v1/audio/transcriptions")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
                .contentLength(LIMIT * 10L)
                .body(Flux.error(new AssertionError("the body must not be read")));

        assertThatThrownBy(() -> reader.read(request).block())
                .isInstanceOfSatisfying(Rejection.class,
                        rejection -> assertThat(rejection.kind().status()).isEqualTo(413));
    }

    @Test
    void shouldTakeAFileExactlyAtTheLimit() {
        byte[] exact = new byte[LIMIT];
        byte[] body = new Form().field("model", "whisper-1").file("file", "a.mp3", "audio/mpeg", exact).bytes();

        assertThat(reader.read(request(body, false)).block().file("file").bytes()).hasSize(LIMIT);
    }

    @Test
    void shouldRefuseWhatIsNoMultipartFormWith400() {
        MockServerHttpRequest json = MockServerHttpRequest.post("/v1/audio/transcriptions")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"model\":\"whisper-1\"}");
        assertThatThrownBy(() -> reader.read(json).block())
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(400);
                    assertThat(rejection.getMessage()).contains("multipart/form-data");
                });

        byte[] broken = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhis")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(request(broken, false)).block())
                .isInstanceOfSatisfying(Rejection.class,
                        rejection -> assertThat(rejection.kind().status()).isEqualTo(400));
    }

    @Test
    void shouldRefuseAnOversizedFormFieldWith400() {
        byte[] body = new Form().field("prompt", "x".repeat(FormUploadReader.MAX_FIELD_BYTES + 1)).bytes();

        assertThatThrownBy(() -> reader.read(request(body, false)).block())
                .isInstanceOfSatisfying(Rejection.class,
                        rejection -> assertThat(rejection.kind().status()).isEqualTo(400));
    }

    @Test
    void shouldRefuseAFormWithoutFileOrModelOrWithABadFormat() {
        byte[] wav = Wavs.pcm16(8_000, 1_000);
        assertParam(new Form().field("model", "whisper-1").bytes(), "file");
        assertParam(new Form().file("file", "a.wav", "audio/wav", wav).bytes(), "model");
        assertParam(new Form().field("model", "whisper-1").file("file", "a.wav", "audio/wav", wav)
                .field("response_format", "mp3").bytes(), "response_format");
        assertParam(new Form().field("model", "whisper-1").file("file", "a.wav", "audio/wav", wav)
                .field("temperature", "1.5").bytes(), "temperature");
        assertParam(new Form().field("model", "whisper-1").file("file", "a.wav", "audio/wav", wav)
                .field("timestamp_granularities[]", "char").bytes(), "timestamp_granularities[]");
        assertParam(new Form().field("model", "whisper-1").field("file", "not a file").bytes(), "file");
    }

    private void assertParam(byte[] body, String param) {
        FormUpload upload = reader.read(request(body, false)).block();
        assertThatThrownBy(() -> TranscriptionRequestValidator.validate(upload))
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(400);
                    assertThat(rejection.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldReadSeveralFilesInOrderUnderTheirPartNamesAndDropOthers() {
        byte[] body = new Form()
                .file("image[]", "a.png", "image/png", new byte[] {1, 2})
                .field("prompt", "add a hat")
                .file("image[]", "b.png", "image/png", new byte[] {3})
                .file("attachment", "x.bin", "application/octet-stream", new byte[500])
                .file("mask", "m.png", "image/png", new byte[] {4, 5, 6})
                .bytes();

        FormUpload upload = images.read(request(body, true)).block();

        assertThat(upload.files()).extracting(FormUpload.UploadedFile::fileName)
                .as("the unknown part dropped").containsExactly("a.png", "b.png", "m.png");
        assertThat(upload.files(ImageEditsRequestValidator.IMAGE_PARTS)).extracting(FormUpload.UploadedFile::part)
                .containsExactly("image[]", "image[]");
        assertThat(upload.file("mask").bytes()).containsExactly(4, 5, 6);
        assertThat(upload.fields().path("prompt").asString()).isEqualTo("add a hat");
    }

    @Test
    void shouldTakeAFilePartSentWithoutAFileNameAsTheOpenAiSdkSendsStreams() {
        byte[] body = new Form()
                .part("image[]", "application/octet-stream", new byte[] {1, 2, 3})
                .part("image[]", "application/octet-stream", new byte[] {4})
                .field("prompt", "p")
                .bytes();

        FormUpload upload = images.read(request(body, false)).block();

        assertThat(upload.files()).hasSize(2);
        assertThat(upload.files().get(0).fileName()).isNull();
        assertThat(upload.files().get(0).bytes()).containsExactly(1, 2, 3);
        assertThat(upload.fields().has("image[]")).isFalse();
        InboundRequest request = ImageEditsRequestValidator.validate(new FormUpload(upload.fields(),
                List.of(new FormUpload.UploadedFile("image[]", null, "application/octet-stream",
                        ImageEditsRequestValidatorTest.PNG))));
        assertThat(request.tree().at("/image/0/filename").asString()).as("named by its sniffed type")
                .isEqualTo("image.png");
    }

    @Test
    void shouldRefuseOneFileOverItsLimitWith413() {
        byte[] body = new Form().file("image", "a.png", "image/png", new byte[1_001]).bytes();

        assertThatThrownBy(() -> images.read(request(body, true)).block())
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(413);
                    assertThat(rejection.getMessage()).contains("each image must be at most 1000 bytes");
                });
    }

    @Test
    void shouldRefuseFilesOverTheirTotalWith413EvenWhenEachFits() {
        byte[] body = new Form()
                .file("image", "a.png", "image/png", new byte[1_000])
                .file("image", "b.png", "image/png", new byte[1_000])
                .file("image", "c.png", "image/png", new byte[501])
                .bytes();

        assertThatThrownBy(() -> images.read(request(body, false)).block())
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(413);
                    assertThat(rejection.getMessage()).contains("2500 bytes together");
                });
    }

    @Test
    void shouldRefuseMoreFilesThanTheEndpointTakesWith400() {
        Form form = new Form();
        for (int i = 0; i < 4; i++) {
            form.file("image[]", i + ".png", "image/png", new byte[] {(byte) i});
        }

        assertThatThrownBy(() -> images.read(request(form.bytes(), false)).block())
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(400);
                    assertThat(rejection.getMessage()).contains("at most 3");
                });
    }

    /** The body in chunks of 1000 bytes when {@code chunked}, else in one, with no Content-Length. */
    private static MockServerHttpRequest request(byte[] body, boolean chunked) {
        int size = chunked ? 1000 : Math.max(1, body.length);
        Flux<org.springframework.core.io.buffer.DataBuffer> buffers = Flux.range(0, (body.length + size - 1) / size)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(
                        Arrays.copyOfRange(body, i * size, Math.min(body.length, (i + 1) * size))));
        return MockServerHttpRequest.post("/v1/audio/transcriptions")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
                .body(buffers);
    }

    /** A multipart/form-data body written by hand, as a client library writes it. */
    private static final class Form {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n");
            return this;
        }

        /** A part with a content type but no file name. */
        Form part(String name, String type, byte[] content) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: "
                    + type + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        Form file(String name, String fileName, String type, byte[] content) {
            write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: " + type + "\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        byte[] bytes() {
            write("--" + BOUNDARY + "--\r\n");
            return out.toByteArray();
        }

        private void write(String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
