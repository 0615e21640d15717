package dev.tollgate.relay.capture;

import dev.tollgate.contracts.events.Capture;
import dev.tollgate.contracts.events.CapturedText;
import dev.tollgate.relay.chat.ChatResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's captured bodies as they stood when it ended, handed to the usage publisher's thread, which cuts them
 * to the cap (and writes a streamed answer whole) there rather than on the request's thread.
 *
 * @param request     the client's body, or null when none was read
 * @param response    a whole answer's body as the client got it, or null
 * @param assembled   a streamed answer reassembled, or null when the answer did not stream
 * @param assemblyCut the stream carried more text than the cap, and only the cap's worth was kept
 * @param render      writes {@code assembled} as the client's dialect's whole answer
 */
public record CapturedBodies(byte[] request, byte[] response, ChatResponse assembled, boolean assemblyCut,
        Function<ChatResponse, byte[]> render, int maxBytes) {

    private static final Logger log = LoggerFactory.getLogger(CapturedBodies.class);
    private static final byte[] NONE = new byte[0];

    /** The capture for the usage event: each body cut to {@code maxBytes} on a UTF-8 boundary. */
    public Capture toCapture() {
        CapturedText requestText = CapturedText.cut(request == null ? NONE : request, maxBytes);
        if (assembled != null) {
            CapturedText answer = CapturedText.cut(written(), maxBytes);
            return new Capture(requestText, new CapturedText(answer.text(), answer.truncated() || assemblyCut), true);
        }
        return new Capture(requestText, response == null ? null : CapturedText.cut(response, maxBytes), false);
    }

    /** The reassembled answer in the client's dialect; its bare text if that cannot be written. */
    private byte[] written() {
        if (render == null) {
            return assembled.generatedText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return render.apply(assembled);
        } catch (RuntimeException e) {
            // A capture must never cost the usage event.
            log.warn("Could not write a captured stream's answer: {}", e.toString());
            return assembled.generatedText().getBytes(StandardCharsets.UTF_8);
        }
    }
}
