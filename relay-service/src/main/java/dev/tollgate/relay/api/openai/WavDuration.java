package dev.tollgate.relay.api.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * The length of a RIFF/WAVE file from its header: the {@code data} chunk's size over the {@code fmt } chunk's
 * byte rate, rounded up to whole seconds (what a per-second price bills). Only the chunk headers are read, never
 * the samples; anything that is not a readable PCM-style WAV gives empty, and is never guessed from the file's
 * size. Pure.
 */
public final class WavDuration {

    private static final int RIFF = 0x46464952; // "RIFF" read little-endian
    private static final int WAVE = 0x45564157; // "WAVE"
    private static final int FMT = 0x20746d66;  // "fmt "
    private static final int DATA = 0x61746164; // "data"
    /** A streamed WAV whose writer did not know the length marks it so. */
    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    private WavDuration() {
    }

    /** Whole seconds (rounded up; a non-empty file is at least 1), or empty when the bytes are no readable WAV. */
    public static OptionalLong seconds(byte[] file) {
        if (file == null || file.length < 12) {
            return OptionalLong.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt(0) != RIFF || in.getInt(8) != WAVE) {
            return OptionalLong.empty();
        }
        long byteRate = 0;
        int at = 12;
        while (at + 8 <= file.length) {
            int id = in.getInt(at);
            long size = Integer.toUnsignedLong(in.getInt(at + 4));
            if (id == FMT && size >= 16 && at + 8 + 16 <= file.length) {
                byteRate = Integer.toUnsignedLong(in.getInt(at + 8 + 8));
            } else if (id == DATA) {
                if (byteRate == 0) {
                    return OptionalLong.empty();
                }
                // A length the header leaves open: the samples run to the end of the file.
                long data = size == UNKNOWN_SIZE || at + 8 + size > file.length ? file.length - at - 8L : size;
                return data <= 0 ? OptionalLong.of(0) : OptionalLong.of((data + byteRate - 1) / byteRate);
            }
            // Chunks are padded to an even size.
            long next = at + 8L + size + (size & 1);
            if (next > file.length) {
                return OptionalLong.empty();
            }
            at = (int) next;
        }
        return OptionalLong.empty();
    }
}
