package dev.tollgate.relay.api.openai;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The length of an MP3 (MPEG-1, 2 or 2.5 Layer III) from its frame headers, rounded up to whole seconds: the frame
 * count a Xing/Info or VBRI header states (VBR files, and LAME's CBR ones), else the frames counted one by one
 * (CBR, or VBR without such a header), each 1152 samples (576 for MPEG-2/2.5) at the stream's sample rate. ID3v2
 * tags at the front are skipped; a damaged stretch is skipped to the next pair of good frames. Only headers are
 * read, never the audio; bytes with no two consecutive good frames near the start are no MP3 and give empty, and
 * nothing is guessed from the file's size. Pure.
 */
public final class Mp3Duration {

    /** Junk before the first frame (after any ID3v2 tags) searched at most, so other formats give up early. */
    static final int MAX_LEADING_JUNK = 64 * 1024;
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1};
    private static final int[] MPEG1_RATES = {44_100, 48_000, 32_000, -1};
    private static final int XING = 0x58696e67; // "Xing"
    private static final int INFO = 0x496e666f; // "Info": LAME's name for the same header in a CBR file
    private static final int VBRI = 0x56425249; // "VBRI": Fraunhofer's encoder
    /** VBRI sits at a fixed place after the header, whatever the side information's size. */
    private static final int VBRI_OFFSET = 4 + 32;

    private Mp3Duration() {
    }

    /** One frame header, read. */
    record Frame(int version, int sampleRate, int samples, int length, int sideInfo) {

        /** MPEG-1 = 1, MPEG-2 = 2, MPEG-2.5 = 25. */
        boolean sameStream(Frame other) {
            return version == other.version && sampleRate == other.sampleRate;
        }
    }

    /** An exact length: samples (per channel) at a sample rate. */
    record Length(long samples, int sampleRate) {

        double seconds() {
            return (double) samples / sampleRate;
        }
    }

    /** Whole seconds (rounded up), or empty when the bytes are no readable MP3. */
    public static OptionalLong seconds(byte[] file) {
        Optional<Length> length = length(file);
        return length.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of((length.get().samples() + length.get().sampleRate() - 1) / length.get().sampleRate());
    }

    /** The exact length, or empty when the bytes are no readable MP3. */
    static Optional<Length> length(byte[] file) {
        if (file == null || file.length < 4) {
            return Optional.empty();
        }
        int start = skipId3v2(file);
        int first = findFrame(file, start, Math.min(file.length, start + MAX_LEADING_JUNK));
        if (first < 0) {
            return Optional.empty();
        }
        Frame frame = header(file, first);
        long stated = statedFrames(file, first, frame);
        long samples = stated > 0 ? stated * frame.samples() : countedSamples(file, first, frame);
        return samples <= 0 ? Optional.empty() : Optional.of(new Length(samples, frame.sampleRate()));
    }

    /** Past every ID3v2 tag at the front (a tagger may stack them), footers included. */
    static int skipId3v2(byte[] file) {
        int at = 0;
        while (at + 10 <= file.length && file[at] == 'I' && file[at + 1] == 'D' && file[at + 2] == '3') {
            int size = syncsafe(file, at + 6);
            if (size < 0) {
                return at;
            }
            boolean footer = (file[at + 5] & 0x10) != 0;
            long next = at + 10L + size + (footer ? 10 : 0);
            if (next > file.length) {
                return file.length;
            }
            at = (int) next;
        }
        return at;
    }

    /** A 28-bit size written 7 bits a byte; -1 when a byte has its top bit set (no ID3 size). */
    private static int syncsafe(byte[] file, int at) {
        int size = 0;
        for (int i = 0; i < 4; i++) {
            int b = file[at + i] & 0xFF;
            if ((b & 0x80) != 0) {
                return -1;
            }
            size = size << 7 | b;
        }
        return size;
    }

    /**
     * The first frame at or after {@code from} (before {@code until}) that the next frame confirms — a frame of the
     * same stream right after it, or the file's end — else -1. One sync alone is too easily found in other bytes.
     */
    static int findFrame(byte[] file, int from, int until) {
        for (int at = from; at + 4 <= until; at++) {
            if ((file[at] & 0xFF) != 0xFF) {
                continue;
            }
            Frame frame = header(file, at);
            if (frame == null) {
                continue;
            }
            long next = (long) at + frame.length();
            if (next == file.length) {
                return at;
            }
            if (next + 4 <= file.length) {
                Frame following = header(file, (int) next);
                if (following != null && following.sameStream(frame)) {
                    return at;
                }
            }
        }
        return -1;
    }

    /** The Layer III frame header at {@code at}, or null when there is none (or it is free-format). */
    static Frame header(byte[] file, int at) {
        if (at < 0 || at + 4 > file.length) {
            return null;
        }
        int b1 = file[at + 1] & 0xFF;
        int b2 = file[at + 2] & 0xFF;
        int b3 = file[at + 3] & 0xFF;
        if ((file[at] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
            return null;
        }
        int versionBits = b1 >> 3 & 3;
        int layerBits = b1 >> 1 & 3;
        int bitrateIndex = b2 >> 4;
        int rateIndex = b2 >> 2 & 3;
        if (versionBits == 1 || layerBits != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        boolean mpeg1 = versionBits == 3;
        int version = mpeg1 ? 1 : versionBits == 2 ? 2 : 25;
        int sampleRate = MPEG1_RATES[rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4);
        int bitrate = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex] * 1000;
        int padding = b2 >> 1 & 1;
        int samples = mpeg1 ? 1152 : 576;
        int length = samples / 8 * bitrate / sampleRate + padding;
        boolean mono = (b3 >> 6 & 3) == 3;
        int sideInfo = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        return new Frame(version, sampleRate, samples, length, sideInfo);
    }

    /** The frame count the first frame's Xing/Info or VBRI header states, or 0 when it states none. */
    static long statedFrames(byte[] file, int at, Frame frame) {
        int xing = at + 4 + frame.sideInfo();
        if (xing + 12 <= file.length && (readInt(file, xing) == XING || readInt(file, xing) == INFO)) {
            boolean hasFrames = (readInt(file, xing + 4) & 1) != 0;
            return hasFrames ? Integer.toUnsignedLong(readInt(file, xing + 8)) : 0;
        }
        int vbri = at + VBRI_OFFSET;
        if (vbri + 18 <= file.length && readInt(file, vbri) == VBRI) {
            return Integer.toUnsignedLong(readInt(file, vbri + 14));
        }
        return 0;
    }

    /** Samples in every frame from {@code first} to the end, skipping a damaged stretch to the next good frames. */
    private static long countedSamples(byte[] file, int first, Frame stream) {
        long samples = 0;
        int at = first;
        while (at + 4 <= file.length) {
            Frame frame = header(file, at);
            if (frame == null || !frame.sameStream(stream) || (long) at + frame.length() > file.length) {
                int next = findFrame(file, at + 1, file.length);
                if (next < 0 || !header(file, next).sameStream(stream)) {
                    break; // the end: an ID3v1 or APE tag, or junk
                }
                at = next;
                continue;
            }
            samples += frame.samples();
            at += frame.length();
        }
        return samples;
    }

    private static int readInt(byte[] file, int at) {
        return (file[at] & 0xFF) << 24 | (file[at + 1] & 0xFF) << 16 | (file[at + 2] & 0xFF) << 8
                | file[at + 3] & 0xFF;
    }
}
