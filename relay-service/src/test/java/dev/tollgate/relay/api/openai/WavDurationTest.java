package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WavDurationTest {

    /** The canonical header of 2 s of 16 kHz mono 16-bit PCM (byte rate 32000, 64000 data bytes), byte by byte. */
    private static final String GOLDEN_HEADER = "52494646" + "24fa0000" + "57415645"
            + "666d7420" + "10000000" + "0100" + "0100" + "803e0000" + "007d0000" + "0200" + "1000"
            + "64617461" + "00fa0000";

    @Test
    void shouldReadTheLengthFromAGoldenHeader() {
        byte[] header = HexFormat.of().parseHex(GOLDEN_HEADER);
        byte[] file = new byte[header.length + 64_000];
        System.arraycopy(header, 0, file, 0, header.length);

        assertThat(WavDuration.seconds(file)).hasValue(2);
        assertThat(Wavs.pcm16(16_000, 2_000)).as("the test builder writes the same header")
                .startsWith(header);
    }

    @Test
    void shouldRoundPartSecondsUp() {
        assertThat(WavDuration.seconds(Wavs.pcm16(8_000, 2_500))).hasValue(3);
        assertThat(WavDuration.seconds(Wavs.pcm16(44_100, 1))).hasValue(1);
        assertThat(WavDuration.seconds(Wavs.pcm16(8_000, 0))).hasValue(0);
    }

    @Test
    void shouldSkipChunksBeforeTheData() {
        byte[] plain = Wavs.pcm16(16_000, 3_000);
        // A LIST chunk of odd length (padded to even) between fmt and data, as editors write.
        byte[] list = HexFormat.of().parseHex("4c495354" + "03000000" + "616263" + "00");
        byte[] file = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, file, 0, 36);
        System.arraycopy(list, 0, file, 36, list.length);
        System.arraycopy(plain, 36, file, 36 + list.length, plain.length - 36);

        assertThat(WavDuration.seconds(file)).hasValue(3);
    }

    @Test
    void shouldUseTheFilesEndWhenTheHeaderLeavesTheLengthOpen() {
        byte[] file = Wavs.pcm16(16_000, 2_000);
        file[40] = file[41] = file[42] = file[43] = (byte) 0xFF;

        assertThat(WavDuration.seconds(file)).hasValue(2);
    }

    @Test
    void shouldNotGuessForWhatIsNoWav() {
        assertThat(WavDuration.seconds(new byte[] {(byte) 0xFF, (byte) 0xFB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
                .as("an MP3 frame").isEqualTo(OptionalLong.empty());
        assertThat(WavDuration.seconds(new byte[0])).isEmpty();
        assertThat(WavDuration.seconds(null)).isEmpty();
        byte[] noFmt = Wavs.pcm16(16_000, 1_000);
        noFmt[12] = 'j';
        assertThat(WavDuration.seconds(noFmt)).as("data before any fmt chunk").isEmpty();
        assertThat(WavDuration.seconds(java.util.Arrays.copyOf(Wavs.pcm16(16_000, 1_000), 30)))
                .as("a header cut short").isEmpty();
    }
}
