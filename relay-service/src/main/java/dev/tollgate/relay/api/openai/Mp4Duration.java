package dev.tollgate.relay.api.openai;

import java.util.OptionalLong;

/**
 * The length of an MP4 audio file (M4A, MP4, MOV, 3GP: the ISO base media format), rounded up to whole seconds:
 * the movie header's ({@code moov/mvhd}) duration over its timescale. Only box headers are walked, never the media;
 * a file without an {@code ftyp} box first, or without a readable {@code mvhd}, gives empty. Pure.
 */
public final class Mp4Duration {

    private Mp4Duration() {
    }

    /** Whole seconds (rounded up), or empty when the bytes are no readable MP4. */
    public static OptionalLong seconds(byte[] file) {
        if (file == null || file.length < 16 || !type(file, 4, "ftyp")) {
            return OptionalLong.empty();
        }
        long moov = child(file, 0, file.length, "moov");
        if (moov < 0) {
            return OptionalLong.empty();
        }
        long moovEnd = moov + boxSize(file, (int) moov);
        long mvhd = child(file, moov + header(file, (int) moov), moovEnd, "mvhd");
        if (mvhd < 0) {
            return OptionalLong.empty();
        }
        int body = (int) (mvhd + header(file, (int) mvhd));
        int version = file[body] & 0xFF;
        // After version and flags: creation and modification times, then the timescale and the duration.
        int timescaleAt = body + 4 + (version == 1 ? 16 : 8);
        int durationAt = timescaleAt + 4;
        if (durationAt + (version == 1 ? 8 : 4) > moovEnd) {
            return OptionalLong.empty();
        }
        long timescale = Integer.toUnsignedLong(readInt(file, timescaleAt));
        long duration = version == 1
                ? (long) readInt(file, durationAt) << 32 | Integer.toUnsignedLong(readInt(file, durationAt + 4))
                : Integer.toUnsignedLong(readInt(file, durationAt));
        if (timescale == 0 || duration < 0 || version == 1 && duration == -1L
                || version == 0 && duration == 0xFFFFFFFFL) {
            return OptionalLong.empty(); // all ones: a length the header does not know
        }
        return OptionalLong.of(duration / timescale + (duration % timescale == 0 ? 0 : 1));
    }

    /** The offset of the first box of {@code type} among the boxes from {@code from} to {@code until}, or -1. */
    private static long child(byte[] file, long from, long until, String type) {
        long at = from;
        while (at + 8 <= until) {
            long size = boxSize(file, (int) at);
            if (size < 8 || at + size > until) {
                return -1;
            }
            if (type(file, (int) at + 4, type)) {
                return at;
            }
            at += size;
        }
        return -1;
    }

    /** A box's whole size: 32-bit, or 64-bit after the type when it says 1, or to the end of the file when 0. */
    private static long boxSize(byte[] file, int at) {
        long size = Integer.toUnsignedLong(readInt(file, at));
        if (size == 1) {
            return at + 16 <= file.length ? (long) readInt(file, at + 8) << 32
                    | Integer.toUnsignedLong(readInt(file, at + 12)) : -1;
        }
        return size == 0 ? file.length - at : size;
    }

    private static int header(byte[] file, int at) {
        return readInt(file, at) == 1 ? 16 : 8;
    }

    private static boolean type(byte[] file, int at, String type) {
        for (int i = 0; i < 4; i++) {
            if (file[at + i] != type.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] file, int at) {
        return (file[at] & 0xFF) << 24 | (file[at + 1] & 0xFF) << 16 | (file[at + 2] & 0xFF) << 8 | file[at + 3] & 0xFF;
    }
}
