package dev.tollgate.relay.capture;

import dev.tollgate.relay.chat.Dialect;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Starts the capture of one request of a capturing key: the cap ({@code tollgate.relay.capture.max-bytes}) and, per
 * inbound dialect, how its pass-through streams are read back (a dialect without a reader keeps the text only).
 */
public final class BodyCaptures {

    private final int maxBytes;
    private final Map<Dialect, Supplier<PassThroughReader>> readers;

    public BodyCaptures(int maxBytes, Map<Dialect, Supplier<PassThroughReader>> readers) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("capture max-bytes must be at least 1: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.readers = Map.copyOf(readers);
    }

    public BodyCapture start(Dialect dialect) {
        return new BodyCapture(maxBytes, readers.getOrDefault(dialect, PassThroughReader::textOnly));
    }

    public int maxBytes() {
        return maxBytes;
    }
}
