package dev.tollgate.relay.capture;

import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.provider.StreamStep;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bodies of one request of a capturing key while it runs. Whole bodies are kept by reference (the pipeline
 * holds them anyway) and cut only when the usage event is built, off the request's thread; a stream is
 * reassembled as it goes, keeping at most the cap's worth of text. Not thread-safe: the request's meter calls it
 * under its own lock.
 */
public final class BodyCapture {

    private static final Logger log = LoggerFactory.getLogger(BodyCapture.class);

    private final int maxBytes;
    private final Supplier<PassThroughReader> readers;
    private byte[] request;
    private byte[] response;
    private StreamAssembler stream;
    private Function<ChatResponse, byte[]> render;
    private PassThroughReader reader;

    BodyCapture(int maxBytes, Supplier<PassThroughReader> readers) {
        this.maxBytes = maxBytes;
        this.readers = readers;
    }

    /** The request body as the client sent it. */
    public void request(byte[] body) {
        this.request = body;
    }

    /** A whole answer as the client got it. */
    public void response(byte[] body) {
        this.response = body;
    }

    /**
     * The answer streams: it is reassembled from the events that follow and, at the end, written whole by
     * {@code render} (the client's dialect's non-streamed answer).
     */
    public void streaming(Function<ChatResponse, byte[]> render) {
        this.render = render;
        assembler();
    }

    /** A step of a pass-through stream, as the client got it. */
    public void observe(StreamStep step) {
        if (step.data() == null) {
            return; // not sent to the client
        }
        if (reader == null) {
            reader = readers.get();
        }
        List<ChatEvent> events;
        try {
            events = reader.read(step);
        } catch (RuntimeException e) {
            // An upstream error event (the stream breaks off here) or a reader's bug: keep what was assembled.
            log.debug("Capture stops reading a stream: {}", e.toString());
            reader = ignored -> List.of();
            return;
        }
        events.forEach(assembler()::accept);
    }

    /** An event of a translated stream, before the client's dialect renders it. */
    public void observe(ChatEvent event) {
        assembler().accept(event);
    }

    private StreamAssembler assembler() {
        if (stream == null) {
            stream = new StreamAssembler(maxBytes);
        }
        return stream;
    }

    /** What was captured, frozen when the request ends. */
    public CapturedBodies freeze() {
        return new CapturedBodies(request, response, stream == null ? null : stream.toResponse(),
                stream != null && stream.cut(), render, maxBytes);
    }
}
