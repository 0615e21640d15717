package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;

/** The multipart reading and its limits, on bytes as a client sends them (in several network chunks). */
class AudioUploadReaderTest {

    private static final String BOUNDARY = "----tollgate-test-boundary";
    private static final int LIMIT = 100_000;

    private final AudioUploadReader reader = new AudioUploadReader(LIMIT);

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

        AudioUpload upload = reader.read(request(body, true)).block();

        assertThat(upload.fields().path("model").asString()).isEqualTo("whisper-1");
        assertThat(upload.fields().path("response_format").asString()).isEqualTo("verbose_json");
        assertThat(upload.fields().path("timestamp_granularities[]").toString()).isEqualTo("[\"word\",\"segment\"]");
        assertThat(upload.fileName()).isEqualTo("speech.wav");
        assertThat(upload.fileContentType()).isEqualTo("audio/wav");
        assertThat(upload.file()).isEqualTo(wav);

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

        assertThat(reader.read(request(body, false)).block().file()).hasSize(LIMIT);
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
        byte[] body = new Form().field("prompt", "x".repeat(AudioUploadReader.MAX_FIELD_BYTES + 1)).bytes();

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
        AudioUpload upload = reader.read(request(body, false)).block();
        assertThatThrownBy(() -> TranscriptionRequestValidator.validate(upload))
                .isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.kind().status()).isEqualTo(400);
                    assertThat(rejection.param()).isEqualTo(param);
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
