package dev.tollgate.relay.api;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent event frames as the providers write them: {@code data: …} with a space after the colon.
 * Spring's SSE writer omits the space, which the spec allows but hand-written client parsers
 * (splitting on {@code "data: "}) do not.
 */
public final class SseFrames {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /** One event carrying {@code data}; a multi-line payload becomes one {@code data:} line per line. */
    public static byte[] data(String data) {
        return event(null, data);
    }

    /** {@link #data(String)} for a payload already in UTF-8 (JSON as the mapper writes it). */
    public static byte[] data(byte[] data) {
        return event(null, data);
    }

    /** One event with an {@code event:} name (Anthropic's streams name theirs). */
    public static byte[] event(String name, String data) {
        if (data.indexOf('\n') < 0) {
            // The usual case, every chunk of every stream: its UTF-8 bytes copied into the frame, no builder.
            return frame(name, data.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder frame = new StringBuilder(data.length() + 16);
        if (name != null) {
            frame.append("event: ").append(name).append('\n');
        }
        int start = 0;
        while (true) {
            int newline = data.indexOf('\n', start);
            int end = newline < 0 ? data.length() : newline;
            frame.append("data: ").append(data, start, end).append('\n');
            if (newline < 0) {
                break;
            }
            start = newline + 1;
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #event(String, String)} for a payload already in UTF-8. */
    public static byte[] event(String name, byte[] data) {
        for (byte b : data) {
            if (b == '\n') {
                return event(name, new String(data, StandardCharsets.UTF_8));
            }
        }
        return frame(name, data);
    }

    /** {@code [event: name\n]data: payload\n\n} for a payload of one line. */
    private static byte[] frame(String name, byte[] payload) {
        byte[] event = name == null ? null : name.getBytes(StandardCharsets.UTF_8);
        int size = (event == null ? 0 : EVENT.length + event.length + 1) + DATA.length + payload.length + 2;
        byte[] frame = new byte[size];
        int at = 0;
        if (event != null) {
            at = put(frame, at, EVENT);
            at = put(frame, at, event);
            frame[at++] = '\n';
        }
        at = put(frame, at, DATA);
        at = put(frame, at, payload);
        frame[at++] = '\n';
        frame[at] = '\n';
        return frame;
    }

    private static int put(byte[] frame, int at, byte[] part) {
        System.arraycopy(part, 0, frame, at, part.length);
        return at + part.length;
    }
}
