package dev.tollgate.relay.api.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** WAV files built in tests: a canonical 44-byte header and silent 16-bit PCM samples. */
public final class Wavs {

    private Wavs() {
    }

    /** {@code millis} of mono 16-bit PCM silence at {@code sampleRate} Hz. */
    public static byte[] pcm16(int sampleRate, long millis) {
        int dataBytes = (int) (sampleRate * 2L * millis / 1000);
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        wav.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        wav.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        return wav.array();
    }
}
