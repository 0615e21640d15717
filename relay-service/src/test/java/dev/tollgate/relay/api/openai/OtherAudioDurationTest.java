package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ogg (real vorbis-tools and opus-tools files) and MP4 (boxes built here) lengths, and which format is which. */
class OtherAudioDurationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "vorbis-44k-2.0s.ogg, 2",
            "vorbis-22k-mono-3.5s.ogg, 4",
            "opus-0.7s.opus, 1",
            "opus-from16k-2.0s.opus, 2"})
    void shouldReadAnOggFilesLengthFromItsLastGranule(String name, long seconds) {
        byte[] ogg = Mp3DurationTest.audio(name);

        assertThat(OggDuration.seconds(ogg)).hasValue(seconds);
        assertThat(AudioDuration.measure(ogg)).hasValue(new AudioDuration.Measured("ogg", seconds));
    }

    @Test
    void shouldGiveNothingForAnOggWithoutItsLastPageOrOfAnotherCodec() {
        byte[] ogg = Mp3DurationTest.audio("vorbis-44k-2.0s.ogg");
        byte[] flacInOgg = ogg.clone();
        flacInOgg[28] = 'X'; // "vorbis" no more

        assertThat(OggDuration.seconds(flacInOgg)).isEmpty();
        assertThat(OggDuration.seconds(Arrays.copyOf(ogg, 27))).isEmpty();
        assertThat(OggDuration.seconds(Mp3DurationTest.audio("cbr-info-44k-2.5s.mp3"))).isEmpty();
    }

    @Test
    void shouldReadAnM4asMovieHeaderWhereverTheMoovBoxIs() {
        byte[] faststart = mp4(true, mvhd(0, 44_100, 110_250));
        byte[] moovLast = mp4(false, mvhd(0, 44_100, 110_250));
        byte[] exact = mp4(true, mvhd(0, 1_000, 2_000));
        byte[] version1 = mp4(true, mvhd(1, 48_000, 48_000L * 3_600 + 1));

        assertThat(Mp4Duration.seconds(faststart)).hasValue(3);
        assertThat(Mp4Duration.seconds(moovLast)).hasValue(3);
        assertThat(Mp4Duration.seconds(exact)).hasValue(2);
        assertThat(Mp4Duration.seconds(version1)).hasValue(3_601);
        assertThat(AudioDuration.measure(faststart)).hasValue(new AudioDuration.Measured("m4a", 3));
    }

    @Test
    void shouldGiveNothingForAnMp4WithoutAMovieHeader() {
        byte[] noMvhd = mp4(true, box("trak", new byte[8]));
        byte[] unknownLength = mp4(true, mvhd(0, 44_100, 0xFFFFFFFFL));
        byte[] notMp4 = Arrays.copyOf(mp4(true, mvhd(0, 44_100, 110_250)), 40);
        notMp4[4] = 'x';

        assertThat(Mp4Duration.seconds(noMvhd)).isEmpty();
        assertThat(Mp4Duration.seconds(unknownLength)).isEmpty();
        assertThat(Mp4Duration.seconds(notMp4)).isEmpty();
        assertThat(AudioDuration.measure(new byte[1000])).isEmpty();
    }

    @Test
    void shouldTellTheFormatsApart() {
        assertThat(AudioDuration.measure(Wavs.pcm16(8_000, 1_500))).hasValue(new AudioDuration.Measured("wav", 2));
        assertThat(AudioDuration.measure(Mp3DurationTest.audio("vbr-xing-44k-5.5s.mp3")))
                .hasValue(new AudioDuration.Measured("mp3", 6));
    }

    /** ftyp, then moov holding {@code header}, and a little media — moov first (faststart) or last. */
    private static byte[] mp4(boolean moovFirst, byte[] header) {
        byte[] ftyp = box("ftyp", "M4A \u0000\u0000\u0000\u0000M4A mp42isom".getBytes(StandardCharsets.ISO_8859_1));
        byte[] moov = box("moov", header);
        byte[] mdat = box("mdat", new byte[300]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ftyp);
        out.writeBytes(moovFirst ? moov : mdat);
        out.writeBytes(moovFirst ? mdat : moov);
        return out.toByteArray();
    }

    private static byte[] mvhd(int version, int timescale, long duration) {
        ByteBuffer body = ByteBuffer.allocate(version == 1 ? 112 : 100);
        body.putInt(version << 24);
        if (version == 1) {
            body.putLong(0).putLong(0).putInt(timescale).putLong(duration);
        } else {
            body.putInt(0).putInt(0).putInt(timescale).putInt((int) duration);
        }
        return box("mvhd", body.array());
    }

    private static byte[] box(String type, byte[] content) {
        return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length)
                .put(type.getBytes(StandardCharsets.US_ASCII)).put(content).array();
    }
}
