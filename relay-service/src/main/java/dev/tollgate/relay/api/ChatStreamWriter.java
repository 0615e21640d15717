package dev.tollgate.relay.api;

import dev.tollgate.relay.chat.ChatEvent;
import java.util.List;

/**
 * Renders a translated stream in the caller's dialect. One instance per response: it keeps what the dialect
 * sends later than the internal events arrive (block indices, the stop reason until usage is known, …).
 */
public interface ChatStreamWriter {

    /** The complete SSE frames (built with {@link SseFrames}) to send for this event, in order; often none. */
    List<byte[]> frames(ChatEvent event);

    /**
     * The frames to send when the upstream broke off before {@link ChatEvent.Ended} (the status is already sent):
     * what the dialect's own servers send on a mid-stream failure (Anthropic: an {@code error} event), else none.
     */
    List<byte[]> cutShort(String message);
}
