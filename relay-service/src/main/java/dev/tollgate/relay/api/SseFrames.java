package dev.tollgate.relay.api;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent event frames as the providers write them: {@code data: …} with a space after the colon.
 * Spring's SSE writer omits the space, which the spec allows but hand-written client parsers
 * (splitting on {@code "data: "}) do not.
 */
public final class SseFrames {

    private SseFrames() {
    }

    /** One event carrying {@code data}; a multi-line payload becomes one {@code data:} line per line. */
    public static byte[] data(String data) {
        return event(null, data);
    }

    /** One event with an {@code event:} name (Anthropic's streams name theirs). */
    public static byte[] event(String name, String data) {
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
}
