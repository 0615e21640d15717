package dev.tollgate.relay.provider;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.EmbeddingResponse;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

/** What an upstream call came to, before anything is written to the client. */
public sealed interface UpstreamResult {

    /**
     * A whole pass-through answer whose body goes to the client unchanged.
     *
     * @param usage what the upstream reported, or null when it reported nothing
     * @param text  the generated text of the answer when it reported no usage (to count locally), else empty
     */
    record Answered(int status, String contentType, byte[] body, TokenUsage usage, String text)
            implements UpstreamResult {
    }

    /**
     * A successful pass-through answer that is not JSON but bytes to hand on as they arrive (speech's audio):
     * subscribing reads the upstream body; cancelling closes it.
     */
    record Bytes(int status, String contentType, Flux<DataBuffer> body) implements UpstreamResult {
    }

    /** A pass-through stream; its steps arrive as the upstream sends them. */
    record Streaming(Flux<StreamStep> steps) implements UpstreamResult {
    }

    /** A whole translated answer, for the inbound dialect to render. */
    record Completed(ChatResponse response) implements UpstreamResult {
    }

    /** A whole translated embeddings answer, for the inbound dialect to render. */
    record Embedded(EmbeddingResponse response) implements UpstreamResult {
    }

    /** A translated stream (see {@link ChatEvent} for the order), for the inbound dialect to render. */
    record Translated(Flux<ChatEvent> events) implements UpstreamResult {
    }

    /**
     * The upstream answered with an error status. The inbound dialect decides what of it reaches the client.
     *
     * @param body         the upstream's error body in its own format (may be empty)
     * @param retryAfter   the upstream's {@code retry-after} header, or null
     * @param message      the upstream's error message read from its own format, or null
     * @param channelFault the adapter knows the refusal is about the channel's setup, whatever the status says
     *                     (an Azure deployment that does not exist): not the request's fault, so another channel
     *                     is tried and the client is not shown it as its own mistake
     */
    record Refused(int status, String contentType, byte[] body, String retryAfter, String message,
            boolean channelFault) implements UpstreamResult {

        public Refused(int status, String contentType, byte[] body, String retryAfter, String message) {
            this(status, contentType, body, retryAfter, message, false);
        }

        public Refused(int status, String contentType, byte[] body, String retryAfter) {
            this(status, contentType, body, retryAfter, null);
        }

        /** The same refusal, known to be about the channel's setup. */
        public Refused asChannelFault() {
            return new Refused(status, contentType, body, retryAfter, message, true);
        }
    }
}
