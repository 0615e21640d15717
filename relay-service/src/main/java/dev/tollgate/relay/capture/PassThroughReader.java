package dev.tollgate.relay.capture;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.provider.StreamStep;
import java.util.List;

/**
 * Reads a pass-through stream (the client's own dialect, as the client gets it) back into internal events, so its
 * answer can be reassembled. One instance per stream, fed in order; it may keep state across steps.
 */
@FunctionalInterface
public interface PassThroughReader {

    /** The events one step the client got makes; none for steps that carry nothing of the answer. */
    List<ChatEvent> read(StreamStep step);

    /** For a dialect without a reader of its own: the generated text each step carries, as one text block. */
    static PassThroughReader textOnly() {
        return step -> step.hasText() ? List.of(new ChatEvent.TextDelta(0, step.text())) : List.of();
    }
}
