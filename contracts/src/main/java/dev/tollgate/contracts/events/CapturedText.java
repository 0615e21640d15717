package dev.tollgate.contracts.events;

import java.nio.charset.StandardCharsets;

/**
 * A body kept for a key that captures bodies: its text, cut to a cap of UTF-8 bytes on a character boundary.
 *
 * @param text      the body as UTF-8 text (bytes that are not UTF-8 read as U+FFFD), at most the cap's bytes of
 *                  the original
 * @param truncated the original was longer than the cap
 */
public record CapturedText(String text, boolean truncated) {

    public CapturedText {
        text = text == null ? "" : text;
    }

    /** The first {@code maxBytes} bytes of {@code utf8}, less the part of a character the cap would split. */
    public static CapturedText cut(byte[] utf8, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        if (utf8.length <= maxBytes) {
            return new CapturedText(new String(utf8, StandardCharsets.UTF_8), false);
        }
        return new CapturedText(new String(utf8, 0, boundary(utf8, maxBytes), StandardCharsets.UTF_8), true);
    }

    /** {@link #cut(byte[], int)} of the text's UTF-8 bytes. */
    public static CapturedText cut(String text, int maxBytes) {
        // Most text is shorter than the cap in bytes whenever it is in characters × 3 (a BMP character is ≤ 3 bytes).
        if ((long) text.length() * 3 <= maxBytes) {
            return new CapturedText(text, false);
        }
        return cut(text.getBytes(StandardCharsets.UTF_8), maxBytes);
    }

    /**
     * The largest end ≤ {@code max} that does not split a character: when the byte at {@code max} continues a
     * character (10xxxxxx), step back to where that character starts (at most 3 bytes). Bytes that are not UTF-8
     * there are cut where the cap says.
     */
    static int boundary(byte[] utf8, int max) {
        int end = max;
        while (end > 0 && end > max - 3 && continuation(utf8[end])) {
            end--;
        }
        return continuation(utf8[end]) ? max : end;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Its size, not its text: a customer's prompt must not reach a log line by way of a record's toString. */
    @Override
    public String toString() {
        return "CapturedText[" + text.length() + " chars" + (truncated ? ", truncated" : "") + "]";
    }
}
