package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.provider.Operation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class OpenAiAudioDialectsTest {

    private final OpenAiTranscriptionsDialect transcriptions = new OpenAiTranscriptionsDialect(
            new OpenAiErrorWriter(), Operation.AUDIO_TRANSCRIPTIONS, new FormUploadReader(
            FormUploadReader.Limits.oneFile("file", 1000, "the audio file")));
    private final OpenAiSpeechDialect speech = new OpenAiSpeechDialect(new OpenAiErrorWriter());

    @Test
    void shouldReserveTheWavLengthElseAGenerousGuessFromTheSize() {
        assertThat(transcriptions.reserveAudioSeconds(upload("a.wav", Wavs.pcm16(16_000, 4_200)))).isEqualTo(5);
        // 10,000 bytes of something else: at 16 kbit/s, 5 s.
        assertThat(transcriptions.reserveAudioSeconds(upload("a.mp3", new byte[10_000]))).isEqualTo(5);
        assertThat(transcriptions.reserveAudioSeconds(upload("a.mp3", new byte[10]))).isEqualTo(1);
    }

    @Test
    void shouldCountTheOptionalPrompt() {
        ObjectNode tree = Json.mapper().createObjectNode();
        assertThat(transcriptions.countPrompt(tree)).isZero();
        tree.put("prompt", "Tollgate, WebFlux, Kafka");
        assertThat(transcriptions.countPrompt(tree)).isPositive();
    }

    @Test
    void shouldValidateSpeechAndCountItsInputAsTokens() {
        InboundRequest request = speech.validate(bytes(
                "{\"model\":\"tts-1\",\"input\":\"Hello there, relay.\",\"voice\":\"alloy\"}"));

        assertThat(request.model()).isEqualTo("tts-1");
        assertThat(speech.operation()).isEqualTo(Operation.AUDIO_SPEECH);
        assertThat(speech.countPrompt(request.tree())).isEqualTo(dev.tollgate.relay.metering.TokenCounter.count("Hello there, relay."));
    }

    @Test
    void shouldRefuseSpeechWithoutInputOrVoice() {
        assertParam("{\"model\":\"tts-1\",\"voice\":\"alloy\"}", "input");
        assertParam("{\"model\":\"tts-1\",\"input\":\"\",\"voice\":\"alloy\"}", "input");
        assertParam("{\"model\":\"tts-1\",\"input\":\"" + "a".repeat(4097) + "\",\"voice\":\"alloy\"}", "input");
        assertParam("{\"model\":\"tts-1\",\"input\":\"hi\"}", "voice");
        assertParam("{\"input\":\"hi\",\"voice\":\"alloy\"}", "model");
    }

    private void assertParam(String body, String param) {
        assertThatThrownBy(() -> speech.validate(bytes(body)))
                .isInstanceOfSatisfying(Rejection.class, rejection -> assertThat(rejection.param()).isEqualTo(param));
    }

    private static InboundRequest upload(String name, byte[] file) {
        ObjectNode fields = Json.mapper().createObjectNode().put("model", "whisper-1");
        return TranscriptionRequestValidator.validate(new FormUpload(fields,
                java.util.List.of(new FormUpload.UploadedFile("file", name, "audio/wav", file))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
