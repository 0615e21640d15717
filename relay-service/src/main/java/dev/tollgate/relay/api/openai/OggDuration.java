package dev.tollgate.relay.api.openai;

import java.util.OptionalLong;

/**
 * The length of an Ogg Vorbis or Ogg Opus file, rounded up to whole seconds: the granule position (samples) of the
 * stream's last page over the sample rate its identification header states (Opus: always 48 kHz, less the
 * header's pre-skip). Only page headers and the first packet are read; anything else (another codec in Ogg, no
 * readable last page) gives empty. Pure.
 */
public final class OggDuration {

    private static final int CAPTURE = 0x4f676753; // "OggS"
    /** The largest Ogg page: a last page starts at most this far from the end. */
    private static final int MAX_PAGE = 27 + 255 + 255 * 255;
    private static final int OPUS_RATE = 48_000;

    private OggDuration() {
    }

    /** Whole seconds (rounded up), or empty when the bytes are no readable Ogg Vorbis or Opus. */
    public static OptionalLong seconds(byte[] file) {
        if (file == null || file.length < 28 || readIntBe(file, 0) != CAPTURE) {
            return OptionalLong.empty();
        }
        int serial = readIntLe(file, 14);
        int data = 27 + (file[26] & 0xFF);
        long rate;
        long preSkip = 0;
        if (data + 16 <= file.length && file[data] == 1 && ascii(file, data + 1, "vorbis")) {
            rate = Integer.toUnsignedLong(readIntLe(file, data + 12));
        } else if (data + 12 <= file.length && ascii(file, data, "OpusHead")) {
            rate = OPUS_RATE;
            preSkip = (file[data + 10] & 0xFF) | (file[data + 11] & 0xFF) << 8;
        } else {
            return OptionalLong.empty();
        }
        long granule = lastGranule(file, serial);
        if (rate == 0 || granule < 0) {
            return OptionalLong.empty();
        }
        long samples = Math.max(0, granule - preSkip);
        return OptionalLong.of((samples + rate - 1) / rate);
    }

    /** The granule position of the stream's last page that states one, or -1. */
    private static long lastGranule(byte[] file, int serial) {
        int lowest = Math.max(0, file.length - MAX_PAGE - 27);
        for (int at = file.length - 27; at >= lowest; at--) {
            if (readIntBe(file, at) != CAPTURE || file[at + 4] != 0 || readIntLe(file, at + 14) != serial) {
                continue;
            }
            long granule = readLongLe(file, at + 6);
            if (granule != -1) {
                return granule; // -1: no packet ends on this page
            }
        }
        return -1;
    }

    private static boolean ascii(byte[] file, int at, String text) {
        if (at + text.length() > file.length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (file[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int readIntBe(byte[] file, int at) {
        return (file[at] & 0xFF) << 24 | (file[at + 1] & 0xFF) << 16 | (file[at + 2] & 0xFF) << 8 | file[at + 3] & 0xFF;
    }

    private static int readIntLe(byte[] file, int at) {
        return file[at] & 0xFF | (file[at + 1] & 0xFF) << 8 | (file[at + 2] & 0xFF) << 16 | (file[at + 3] & 0xFF) << 24;
    }

    private static long readLongLe(byte[] file, int at) {
        return Integer.toUnsignedLong(readIntLe(file, at)) | (long) readIntLe(file, at + 4) << 32;
    }
}
