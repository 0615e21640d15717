package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MP3 lengths from real LAME-encoded files (src/test/resources/audio) of known source lengths. */
class Mp3DurationTest {

    /**
     * LAME's encoder delay (1,105 samples) and last-frame padding: an MP3 is at most this many samples longer than
     * its source.
     */
    private static final int ENCODER_SLACK_SAMPLES = 3 * 1152;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "cbr-info-44k-2.5s.mp3, 2.5, 44100",
            "cbr-info-mpeg2-24k-2.5s.mp3, 2.5, 24000",
            "cbr-noheader-mpeg2-22k-mono-3.5s.mp3, 3.5, 22050",
            "cbr-noheader-mpeg25-8k-1.2s.mp3, 1.2, 8000",
            "id3-48k-0.7s.mp3, 0.7, 0",
            "vbr-xing-44k-5.5s.mp3, 5.5, 44100",
            "vbr-noheader-44k-2.5s.mp3, 2.5, 44100"})
    void shouldMeasureARealMp3WithinTheEncodersSlackOfItsSource(String name, double source, int rate) {
        byte[] mp3 = audio(name);

        Mp3Duration.Length length = Mp3Duration.length(mp3).orElseThrow();

        assertThat(length.seconds()).isBetween(source, source + (double) ENCODER_SLACK_SAMPLES / length.sampleRate());
        if (rate > 0) {
            assertThat(length.sampleRate()).isEqualTo(rate);
        }
        assertThat(Mp3Duration.seconds(mp3)).hasValue((long) Math.ceil(source));
        assertThat(AudioDuration.seconds(mp3)).hasValue((long) Math.ceil(source));
    }

    @Test
    void shouldTrustTheXingFrameCountOverTheBytesThatFollow() {
        byte[] vbr = audio("vbr-xing-44k-5.5s.mp3");
        byte[] firstFramesOnly = Arrays.copyOf(vbr, 2_000);

        assertThat(Mp3Duration.seconds(firstFramesOnly)).as("a VBR file's length is in its header").hasValue(6);
    }

    @Test
    void shouldReadAVbriHeadersFrameCount() {
        byte[] mp3 = audio("cbr-info-44k-2.5s.mp3");
        // Fraunhofer's VBRI header in the first frame, 32 bytes after the 4-byte frame header, stating 431 frames.
        int vbri = 4 + 32;
        byte[] header = {'V', 'B', 'R', 'I', 0, 1, 0, 0, 0, 50, 0, 0, (byte) 0x9F, (byte) 0xFF, 0, 0, 1, (byte) 0xAF};
        System.arraycopy(header, 0, mp3, vbri, header.length);

        // 431 × 1152 samples at 44.1 kHz = 11.26 s.
        assertThat(Mp3Duration.length(mp3).orElseThrow().samples()).isEqualTo(431L * 1152);
        assertThat(Mp3Duration.seconds(mp3)).hasValue(12);
    }

    @Test
    void shouldSkipADamagedStretchAndCountTheFramesAfterIt() {
        byte[] mp3 = audio("cbr-noheader-mpeg2-22k-mono-3.5s.mp3");
        long whole = Mp3Duration.length(mp3).orElseThrow().samples();
        // One frame's header broken in the middle: that frame is lost, the rest still count.
        int middle = mp3.length / 2;
        int frame = Mp3Duration.findFrame(mp3, middle, mp3.length);
        mp3[frame] = 0;

        assertThat(Mp3Duration.length(mp3).orElseThrow().samples()).isEqualTo(whole - 576);
    }

    @Test
    void shouldGiveNothingForWhatIsNoMp3() {
        assertThat(Mp3Duration.seconds(new byte[10_000])).isEmpty();
        assertThat(Mp3Duration.seconds(null)).isEmpty();
        assertThat(Mp3Duration.seconds(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64})).as("one lone header")
                .isEmpty();
        byte[] noise = new byte[50_000];
        new SplittableRandom(7).nextBytes(noise);
        assertThat(Mp3Duration.seconds(noise)).isEmpty();
        byte[] tagOnly = Arrays.copyOf("ID3".getBytes(StandardCharsets.US_ASCII), 10 + 100);
        tagOnly[3] = 4;
        tagOnly[9] = 100;
        assertThat(Mp3Duration.seconds(tagOnly)).isEmpty();
        assertThat(Mp3Duration.seconds(Wavs.pcm16(16_000, 2_000))).isEmpty();
        assertThat(AudioDuration.seconds(Wavs.pcm16(16_000, 2_000))).as("WAV still read as WAV")
                .isEqualTo(OptionalLong.of(2));
    }

    @Test
    void shouldSkipStackedId3v2TagsWithFooters() {
        byte[] mp3 = audio("cbr-noheader-mpeg25-8k-1.2s.mp3");
        // An ID3v2.4 tag of 20 bytes with a footer (flag 0x10), ahead of the frames.
        byte[] tag = new byte[10 + 20 + 10];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 4;
        tag[5] = 0x10;
        tag[9] = 20;
        byte[] tagged = new byte[tag.length * 2 + mp3.length];
        System.arraycopy(tag, 0, tagged, 0, tag.length);
        System.arraycopy(tag, 0, tagged, tag.length, tag.length);
        System.arraycopy(mp3, 0, tagged, tag.length * 2, mp3.length);

        assertThat(Mp3Duration.skipId3v2(tagged)).isEqualTo(tag.length * 2);
        assertThat(Mp3Duration.length(tagged)).isEqualTo(Mp3Duration.length(mp3));
    }

    static byte[] audio(String name) {
        try (InputStream in = Mp3DurationTest.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test audio " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
