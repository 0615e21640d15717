package dev.tollgate.simulator.scenario;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The frames of one streamed answer in order, whatever their wire format, and how to play them:
 * {@code chunkDelayMs} before each content frame, each frame flushed as it goes, and with {@code cutAfterChunks}
 * the connection dropped after that many content frames (never reaching the tail: the closing frames).
 */
public final class StreamScript {

    private static final Duration CUT_PAUSE = Duration.ofMillis(100);

    private record Frame(byte[] bytes, boolean content) {
    }

    private final List<Frame> frames = new ArrayList<>();
    private int tailStart = -1;

    /** A structural frame (a start, a stop, a ping ...). */
    public StreamScript frame(String text) {
        return frame(utf8(text));
    }

    public StreamScript frame(byte[] bytes) {
        frames.add(new Frame(bytes, false));
        return this;
    }

    /** A frame carrying a piece of the answer: delayed by chunkDelayMs, counted by cutAfterChunks. */
    public StreamScript content(String text) {
        return content(utf8(text));
    }

    public StreamScript content(byte[] bytes) {
        frames.add(new Frame(bytes, true));
        return this;
    }

    /** A closing frame (stop reason, usage, end marker); the first one starts the tail a cut stream never sends. */
    public StreamScript tail(String text) {
        return tail(utf8(text));
    }

    public StreamScript tail(byte[] bytes) {
        if (tailStart < 0) {
            tailStart = frames.size();
        }
        frames.add(new Frame(bytes, false));
        return this;
    }

    /**
     * Writes the frames to a response whose status and headers are already set. The call counts as completed as
     * the last frame is handed over, or as failed when the script is cut.
     */
    public Mono<Void> play(HttpServerResponse response, SimulatorConfig config, SimulatorState.Call call) {
        Integer cut = config.cutAfterChunks();
        List<Frame> sent = cut == null ? frames : cutFrames(cut);
        long delayMs = config.chunkDelayMs();
        Flux<ByteBuf> out = Flux.range(0, sent.size()).concatMap(i -> {
            Frame frame = sent.get(i);
            boolean last = i == sent.size() - 1;
            Mono<ByteBuf> next = Mono.fromSupplier(() -> {
                if (last && cut == null) {
                    // Counted as handed over, so a client that has read the whole answer always finds it in stats.
                    call.completed();
                }
                return Unpooled.wrappedBuffer(frame.bytes());
            });
            return frame.content() && delayMs > 0 ? Mono.delay(Duration.ofMillis(delayMs)).then(next) : next;
        });
        if (cut != null) {
            out = out.concatWith(Mono.fromRunnable(call::failed));
        } else if (sent.isEmpty()) {
            call.completed();
        }
        // Flush every frame as it is produced: the point of a stream is that the client sees it early.
        Mono<Void> written = response.send(out, buffer -> true).then();
        if (cut == null) {
            return written;
        }
        // Drop the connection without the closing frames, like an upstream dying mid-answer.
        // The short pause lets the peer take in what was sent: some clients discard buffered data on a reset.
        return written.then(Mono.delay(CUT_PAUSE))
                .then(Mono.create(sink -> response.withConnection(connection -> closeAfterFlush(connection, sink))));
    }

    private List<Frame> cutFrames(int cut) {
        List<Frame> kept = new ArrayList<>();
        int contents = 0;
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            if (i == tailStart || (frame.content() && contents == cut)) {
                break;
            }
            if (frame.content()) {
                contents++;
            }
            kept.add(frame);
        }
        return kept;
    }

    /** A bare close would discard chunks still queued in Netty; an empty flush first lets them reach the peer. */
    private static void closeAfterFlush(Connection connection, MonoSink<Void> sink) {
        Channel channel = connection.channel();
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(flushed -> channel.close().addListener(closed -> sink.success()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
