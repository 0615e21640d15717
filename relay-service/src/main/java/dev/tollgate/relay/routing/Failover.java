package dev.tollgate.relay.routing;

import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.metering.RequestMdc;
import dev.tollgate.relay.metering.RequestMeter;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.ProviderAdapter;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.tracing.RelayTracing;
import dev.tollgate.relay.tracing.UpstreamSpan;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tries a request's channels in plan order until one answers: the next channel after a connect error, a timeout,
 * a 429 or a 5xx (and after an upstream that refuses the channel's key or account), never after the client's own
 * mistake; at most {@code maxAttempts} channels, and none started after the time {@code budget}. An answer — a
 * whole body, or a stream the upstream accepted — ends the loop before anything reaches the client, so a stream is
 * never retried once a byte has gone out. Every attempt goes to the meter (one usage event lists them all) and to
 * the channel's health.
 */
public class Failover {

    private static final Logger log = LoggerFactory.getLogger(Failover.class);

    private final ProviderAdapters adapters;
    private final ChannelHealth health;
    private final BiConsumer<Channel, AttemptOutcome> disabling;
    private final int maxAttempts;
    private final Duration budget;
    private final Clock clock;
    private final RelayTracing tracing;

    /**
     * @param disabling told of every attempt whose outcome should switch the channel off everywhere
     */
    public Failover(ProviderAdapters adapters, ChannelHealth health, BiConsumer<Channel, AttemptOutcome> disabling,
            int maxAttempts, Duration budget, Clock clock) {
        this(adapters, health, disabling, maxAttempts, budget, clock, RelayTracing.off());
    }

    /** @param tracing where each attempt's span ({@code upstream <provider>}) goes */
    public Failover(ProviderAdapters adapters, ChannelHealth health, BiConsumer<Channel, AttemptOutcome> disabling,
            int maxAttempts, Duration budget, Clock clock, RelayTracing tracing) {
        this.tracing = tracing;
        this.adapters = adapters;
        this.health = health;
        this.disabling = disabling;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.budget = budget;
        this.clock = clock;
    }

    /**
     * One request to serve.
     *
     * @param chat      the request in the internal model, computed (once) only if a channel needs a translation
     * @param operation  the endpoint asked for; only chat and embeddings can be translated to a channel of another
     *                   dialect
     * @param embeddings the request in the internal embeddings model, computed (once) only if a channel needs it;
     *                   null for every other operation
     */
    public record Request(RoutePlan plan, Dialect inbound, ObjectNode tree, byte[] raw, String model, boolean stream,
            boolean includeUsage, Supplier<ChatRequest> chat, RequestMeter meter, Operation operation,
            Supplier<EmbeddingRequest> embeddings) {

        public Request {
            operation = operation == null ? Operation.CHAT : operation;
        }

        /** A request with nothing to translate but chat. */
        public Request(RoutePlan plan, Dialect inbound, ObjectNode tree, byte[] raw, String model, boolean stream,
                boolean includeUsage, Supplier<ChatRequest> chat, RequestMeter meter, Operation operation) {
            this(plan, inbound, tree, raw, model, stream, includeUsage, chat, meter, operation, null);
        }

        /** A chat request. */
        public Request(RoutePlan plan, Dialect inbound, ObjectNode tree, byte[] raw, String model, boolean stream,
                boolean includeUsage, Supplier<ChatRequest> chat, RequestMeter meter) {
            this(plan, inbound, tree, raw, model, stream, includeUsage, chat, meter, Operation.CHAT);
        }
    }

    /** The upstream's answer (possibly a refusal to pass on), from the channel that gave it. */
    public record Answer(UpstreamResult result, Channel channel, boolean passThrough) {
    }

    public Mono<Answer> call(Request request) {
        return attempt(request, new Tries(System.nanoTime()), 0);
    }

    /**
     * The loop's memory of one request (used by one attempt at a time, in sequence).
     *
     * @param made       attempts that reached, or tried to reach, an upstream
     * @param lastFailed what the last such attempt came to when it did not answer (a refusal or a failure)
     * @param refused    why a channel's dialect could not express the request, the first time that happened
     */
    private static final class Tries {
        final long startNanos;
        int made;
        Object lastFailed;
        Untranslatable refused;

        Tries(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private Mono<Answer> attempt(Request request, Tries tries, int index) {
        if (index >= request.plan().candidates().size()) {
            return giveUp(tries);
        }
        Channel channel = request.plan().candidates().get(index);
        ProviderAdapter adapter = adapters.forProvider(channel.provider()).orElse(null);
        if (adapter == null) {
            return attempt(request, tries, index + 1);
        }
        boolean passThrough = passesThrough(adapter, request, channel);
        if (!adapter.serves(request.operation(), channel)
                || !passThrough && !translatable(request.operation(), request.embeddings() != null)) {
            return untranslatable(request, tries, index, notServed(request.operation(), request.model()));
        }
        UpstreamCall call;
        try {
            call = call(request, channel, passThrough);
        } catch (Untranslatable e) {
            return untranslatable(request, tries, index, e);
        }
        if (!health.tryAcquire(channel, request.model())) {
            // Opened or cooled down since the plan was made (or its half-open probes are taken).
            return index + 1 < request.plan().candidates().size() ? attempt(request, tries, index + 1) : giveUp(tries);
        }
        request.meter().routed(channel.id(), channel.provider(), channel.upstreamModel(request.model()));
        request.meter().upstreamCalled();
        long attemptStart = System.nanoTime();
        AtomicBoolean settled = new AtomicBoolean();
        return Mono.deferContextual(context -> {
            UpstreamSpan span = tracing.upstream(context, channel.provider(), channel.id(), request.model(),
                    tries.made + 1);
            return Mono.defer(() -> request.stream() ? adapter.stream(call) : adapter.complete(call))
                    .<Object>map(answer -> new Answer(answer, channel, passThrough))
                    .onErrorResume(error -> Mono.just(error))
                    // The client left before the upstream answered: the permit goes back without an outcome.
                    .doOnCancel(() -> {
                        span.end("client_cancelled", 0, null);
                        if (settled.compareAndSet(false, true)) {
                            health.release(channel);
                        }
                    })
                    .flatMap(outcome -> {
                        settled.set(true);
                        return settle(request, tries, index, channel, outcome, attemptStart, span);
                    });
        });
    }

    /**
     * The client's body can go up as it is: the upstream speaks its dialect. Gemini's embed calls are the exception:
     * they are always rebuilt (as {@code batchEmbedContents}), since the model is named inside each request too.
     */
    /** Gemini embeddings are always rebuilt: the model is named inside each request too, and must be mapped. */
    private static boolean passesThrough(ProviderAdapter adapter, Request request, Channel channel) {
        return adapter.passesThrough(request.inbound(), channel)
                && !(request.operation() == Operation.EMBEDDINGS && request.inbound() == Dialect.GEMINI);
    }

    /** Chat (and Responses, through chat) always has a translation; embeddings when the inbound gave its form. */
    private static boolean translatable(Operation operation, boolean hasEmbeddings) {
        return operation.translatable() || operation == Operation.EMBEDDINGS && hasEmbeddings;
    }

    /** @throws Untranslatable when the request cannot be put in the internal model */
    private static UpstreamCall call(Request request, Channel channel, boolean passThrough) {
        if (!passThrough && request.operation() == Operation.EMBEDDINGS) {
            return UpstreamCall.embeddings(channel, request.inbound(), request.tree(), request.raw(), request.model(),
                    request.embeddings().get());
        }
        return new UpstreamCall(channel, request.inbound(), request.tree(), request.raw(), request.model(),
                request.includeUsage(), passThrough ? null : request.chat().get(),
                passThrough ? request.operation() : Operation.CHAT);
    }

    /** An answer or a failure (as a value): the client's, or a reason to try the next channel. */
    private Mono<Answer> settle(Request request, Tries tries, int index, Channel channel, Object result,
            long attemptStart, UpstreamSpan span) {
        if (result instanceof Untranslatable e) {
            // The adapter's mapper refused before anything was sent: not the channel's fault.
            span.end("untranslatable", 0, null);
            health.release(channel);
            return untranslatable(request, tries, index, e);
        }
        tries.made++;
        AttemptOutcome outcome;
        if (result instanceof Answer answer) {
            outcome = answer.result() instanceof UpstreamResult.Refused refused
                    ? AttemptOutcomes.fromRefused(refused, clock)
                    : AttemptOutcomes.succeeded();
        } else {
            outcome = AttemptOutcomes.fromFailure((Throwable) result);
        }
        span.end(outcome.wireName(), outcome.status(), result instanceof Throwable failure ? failure : null);
        recordAttempt(request, channel, outcome, attemptStart);
        boolean answered = result instanceof Answer && !outcome.kind().retryable();
        if (answered || !mayTryAnother(request, tries, index)) {
            return result instanceof Answer answer ? Mono.just(answer) : Mono.error((Throwable) result);
        }
        tries.lastFailed = result;
        try (RequestMdc ids = RequestMdc.of(request.meter())) {
            log.warn("Channel {} failed request {} ({}): trying the next channel", channel.id(),
                    request.meter().requestId(), outcome.wireName());
        }
        return attempt(request, tries, index + 1);
    }

    private Mono<Answer> untranslatable(Request request, Tries tries, int index, Untranslatable e) {
        if (tries.refused == null) {
            tries.refused = e;
        }
        return index + 1 < request.plan().candidates().size() ? attempt(request, tries, index + 1) : giveUp(tries);
    }

    /** Only chat and embeddings have a translation; the other endpoints need a channel that offers them as asked. */
    private static Untranslatable notServed(Operation operation, String model) {
        return new Untranslatable("model", "The model `" + model + "` is not served on " + operation.route()
                + " here: its channels' providers do not offer that endpoint.");
    }

    /** No channel answered: the last upstream problem if any upstream was reached, else why none could be. */
    private static Mono<Answer> giveUp(Tries tries) {
        if (tries.lastFailed instanceof Answer refusal) {
            return Mono.just(refusal);
        }
        if (tries.lastFailed instanceof Throwable failure) {
            return Mono.error(failure);
        }
        if (tries.refused != null) {
            return Mono.error(tries.refused);
        }
        return Mono.error(new UpstreamFailure.Unreachable("no channel could be tried", null));
    }

    private void recordAttempt(Request request, Channel channel, AttemptOutcome outcome, long attemptStart) {
        long elapsed = System.nanoTime() - attemptStart;
        health.record(channel, request.model(), outcome, elapsed);
        request.meter().attempted(channel.id(), outcome.wireName(), elapsed);
        if (outcome.kind().disablesChannel()) {
            try (RequestMdc ids = RequestMdc.of(request.meter())) {
                log.warn("Channel {} failed request {} with {}: reporting it for disabling", channel.id(),
                        request.meter().requestId(), outcome.wireName());
            }
            disabling.accept(channel, outcome);
        }
    }

    private boolean mayTryAnother(Request request, Tries tries, int index) {
        return index + 1 < request.plan().candidates().size() && tries.made < maxAttempts
                && System.nanoTime() - tries.startNanos < budget.toNanos();
    }
}
