package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiAudioHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOUNDARY = "sim-audio-boundary";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Simulator sim = Simulator.start(0);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerVerboseJsonWithTheWavsDurationAndRecordTheForm() throws Exception {
        byte[] wav = wav(16_000, 2_500);

        HttpResponse<String> response = upload("/v1/audio/transcriptions", "whisper-1", "verbose_json", wav);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("duration").asDouble()).isEqualTo(2.5);
        assertThat(body.path("task").asString()).isEqualTo("transcribe");
        assertThat(body.path("text").asString()).isEqualTo(OpenAiAudioHandler.TRANSCRIPT);
        RecordedRequest sent = sim.lastRequest();
        assertThat(sent.body().path("model").asString()).isEqualTo("whisper-1");
        assertThat(sent.body().path("file").path("filename").asString()).isEqualTo("a.wav");
        assertThat(sent.body().path("file").path("bytes").asInt()).isEqualTo(wav.length);
    }

    @Test
    void shouldAnswerJsonTextAndTokenUsageByModel() throws Exception {
        byte[] wav = wav(8_000, 1_000);

        JsonNode whisper = JSON.readTree(upload("/v1/audio/transcriptions", "whisper-1", "json", wav).body());
        assertThat(whisper.has("usage")).isFalse();
        JsonNode gpt = JSON.readTree(upload("/v1/audio/transcriptions", "gpt-4o-transcribe", "json", wav).body());
        assertThat(gpt.path("usage").path("type").asString()).isEqualTo("tokens");
        assertThat(gpt.path("usage").path("input_token_details").path("audio_tokens").asInt()).isEqualTo(10);
        HttpResponse<String> text = upload("/v1/audio/translations", "whisper-1", "text", wav);
        assertThat(text.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(text.body()).isEqualTo(OpenAiAudioHandler.TRANSCRIPT + "\n");
    }

    @Test
    void shouldUseTheFixedDurationForWhatIsNoWav() throws Exception {
        JsonNode body = JSON.readTree(upload("/v1/audio/transcriptions", "whisper-1", "verbose_json",
                new byte[] {(byte) 0xFF, (byte) 0xFB, 0, 0}).body());

        assertThat(body.path("duration").asDouble()).isEqualTo(OpenAiAudioHandler.FIXED_SECONDS);
    }

    @Test
    void shouldAnswerSpeechWithAudioBytes() throws Exception {
        HttpResponse<byte[]> response = new SimClient(sim).postForBytes("/v1/audio/speech",
                "{\"model\":\"tts-1\",\"input\":\"Hello\",\"voice\":\"alloy\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("audio/mpeg");
        assertThat(response.body()).hasSize(OpenAiAudioHandler.SPEECH_BYTES);
        assertThat(sim.lastRequest().body().path("input").asString()).isEqualTo("Hello");
    }

    private HttpResponse<String> upload(String path, String model, String format, byte[] file) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n");
        write(body, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\n"
                + format + "\r\n");
        write(body, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n");
        body.writeBytes(file);
        write(body, "\r\n--" + BOUNDARY + "--\r\n");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("Authorization", "Bearer sk-test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code millis} of mono 16-bit PCM silence. */
    private static byte[] wav(int rate, long millis) {
        int data = (int) (rate * 2L * millis / 1000);
        ByteBuffer wav = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return wav.array();
    }
}
