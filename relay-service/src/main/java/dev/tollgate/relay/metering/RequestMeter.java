package dev.tollgate.relay.metering;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.admission.Reservation;
import dev.tollgate.relay.capture.BodyCapture;
import dev.tollgate.relay.capture.CapturedBodies;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.limits.RateLimitGrant;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.snapshot.PriceEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One request's facts, collected by the stages as they learn them and turned into exactly one usage event
 * when the request ends (however it ends). The one accumulator of a request: no scattered atomics.
 */
public final class RequestMeter {

    private final String requestId = Ids.uuidV7().toString();
    private final String dialect;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private final List<Attempt> attempts = new ArrayList<>();

    private boolean identified;
    private long keyId;
    private long userId;
    private String group;
    private String modelAsked;
    private String modelServed;
    private String priceModel;
    private Long channelId;
    private String provider;
    private PriceEntry price;
    private long multiplierBp = 10_000;
    private long promptTokens;
    private Reservation reservation;
    private boolean upstreamCalled;
    private boolean upstreamServed;
    /** The reported usage is an upper bound billed before the work was done (see answeredWithBound). */
    private boolean reportedIsBound;
    private boolean bodyStreaming;
    private boolean streamCompleted;
    private TokenUsage reported;
    private long firstTextNanos;
    private long upstreamEndNanos;
    private UsageStatus status;
    private int httpStatus;
    private String errorClass;
    private RateLimitGrant rateGrant;
    /** Set only for a key that captures bodies; null (checked without the lock) costs every other request nothing. */
    private volatile BodyCapture capture;
    private volatile String traceparent;

    /** @param dialect the inbound dialect's wire name ({@code openai}, {@code anthropic}, …) */
    public RequestMeter(String dialect) {
        this.dialect = dialect;
    }

    public String requestId() {
        return requestId;
    }

    /** The W3C trace context of the request's server span, when traced (see {@code RelayTracing}). */
    public void traceparent(String traceparent) {
        this.traceparent = traceparent;
    }

    public String traceparent() {
        return traceparent;
    }

    /** The ids a log line about this request carries (see {@link RequestMdc}). */
    public record LogIds(String requestId, long keyId, Long channelId, String model) {
    }

    public synchronized LogIds logIds() {
        return new LogIds(requestId, keyId, channelId, modelAsked);
    }

    public synchronized void identify(long keyId, long userId, String group) {
        this.identified = true;
        this.keyId = keyId;
        this.userId = userId;
        this.group = group;
    }

    public synchronized void modelAsked(String model) {
        this.modelAsked = model;
    }

    public synchronized void routed(long channelId, String provider, String modelServed) {
        this.channelId = channelId;
        this.provider = provider;
        this.modelServed = modelServed;
    }

    /** The key captures bodies: from now on the request's bodies are kept for its usage event. */
    public synchronized void capture(BodyCapture capture) {
        this.capture = capture;
    }

    public boolean capturing() {
        return capture != null;
    }

    /** The request body as the client sent it (kept only when capturing). */
    public void captureRequest(byte[] body) {
        if (capture != null) {
            synchronized (this) {
                capture.request(body);
            }
        }
    }

    /** A whole answer as the client got it (kept only when capturing). */
    public void captureResponse(byte[] body) {
        if (capture != null) {
            synchronized (this) {
                capture.response(body);
            }
        }
    }

    /** The answer streams; {@code render} writes it whole in the client's dialect (only when capturing). */
    public void captureStream(Function<ChatResponse, byte[]> render) {
        if (capture != null) {
            synchronized (this) {
                capture.streaming(render);
            }
        }
    }

    /** The model whose price applies, when the channel bills another name than the one asked. */
    public synchronized void pricedBy(String model) {
        this.priceModel = model;
    }

    public synchronized void admitted(PriceEntry price, long multiplierBp, long promptTokens, Reservation reservation) {
        this.price = price;
        this.multiplierBp = multiplierBp;
        this.promptTokens = promptTokens;
        this.reservation = reservation;
    }

    public synchronized void upstreamCalled() {
        this.upstreamCalled = true;
    }

    /**
     * A whole answer arrived.
     *
     * @param usage what the upstream reported, or null
     * @param text  the answer's generated text, counted when the upstream reported no usage
     */
    /**
     * A whole answer arrived before its work was done (a background response): {@code bound} is billed in place of
     * usage the upstream has not reported yet, and the usage event says estimated.
     */
    public synchronized void answeredWithBound(int status, TokenUsage bound) {
        answered(status, bound, "");
        this.reportedIsBound = true;
    }

    public synchronized void answered(int status, TokenUsage usage, String text) {
        this.upstreamEndNanos = System.nanoTime();
        this.upstreamServed = status >= 200 && status < 300;
        this.reported = usage;
        this.text.append(text);
        this.httpStatus = status;
        this.status = UsageStatus.SUCCESS;
    }

    /**
     * The upstream answered with an error status.
     *
     * @param upstreamStatus what the upstream said (kept in the error class)
     * @param clientStatus   what the client was told
     */
    public synchronized void upstreamRefused(int upstreamStatus, int clientStatus) {
        this.upstreamEndNanos = System.nanoTime();
        this.httpStatus = clientStatus;
        this.status = UsageStatus.UPSTREAM_ERROR;
        this.errorClass = "upstream_http_" + upstreamStatus;
    }

    /** The relay answered with an error itself (before or instead of an upstream answer). */
    public synchronized void failed(int status, String errorClass, boolean upstreamSide) {
        this.httpStatus = status;
        this.errorClass = errorClass;
        this.status = upstreamSide ? UsageStatus.UPSTREAM_ERROR : UsageStatus.REJECTED;
    }

    /**
     * The upstream accepted a stream (a success status): the request ends when the stream ends, not when the
     * headers are sent.
     */
    public synchronized void streaming() {
        this.upstreamServed = true;
        this.bodyStreaming = true;
        this.httpStatus = 200;
    }

    public synchronized boolean bodyStreaming() {
        return bodyStreaming;
    }

    /** One upstream stream event went by. */
    public synchronized void observe(StreamStep step) {
        if (capture != null) {
            capture.observe(step);
        }
        if (step.usage() != null) {
            reported = step.usage();
        }
        if (step.hasText()) {
            if (firstTextNanos == 0) {
                firstTextNanos = System.nanoTime();
            }
            text.append(step.text());
        }
        if (step.done()) {
            streamCompleted = true;
        }
    }

    /** The rate limits admitted the request; its counts are corrected when it ends. */
    public synchronized void rateGranted(RateLimitGrant grant) {
        this.rateGrant = grant;
    }

    /** One attempt on one channel ended (failover may make several; the last one answered, if any did). */
    public synchronized void attempted(long channelId, String outcome, long elapsedNanos) {
        attempts.add(new Attempt(channelId, outcome, elapsedNanos / 1_000_000));
    }

    /** One event of a translated stream went by. */
    public synchronized void observe(ChatEvent event) {
        if (capture != null) {
            capture.observe(event);
        }
        if (event instanceof ChatEvent.UsageReported reportedUsage) {
            reported = reportedUsage.usage();
            return;
        }
        if (event instanceof ChatEvent.Ended) {
            streamCompleted = true;
            return;
        }
        String piece = ChatEvent.textOf(event);
        if (!piece.isEmpty()) {
            if (firstTextNanos == 0) {
                firstTextNanos = System.nanoTime();
            }
            text.append(piece);
        }
    }

    /** The stream broke off upstream after it began. */
    public synchronized void streamCut(String errorClass) {
        this.status = UsageStatus.UPSTREAM_ERROR;
        this.errorClass = errorClass;
    }

    /** True the first time only: one request, one usage event. */
    boolean markFinished() {
        return finished.compareAndSet(false, true);
    }

    // ---- read by the recorder when the request has ended ----

    synchronized Snapshot snapshot(boolean cancelled) {
        UsageStatus finalStatus = status;
        int finalHttp = httpStatus;
        String finalError = errorClass;
        if (cancelled && finalStatus != UsageStatus.REJECTED && !streamCompletedNormally()) {
            finalStatus = UsageStatus.CANCELLED;
            finalError = "client_cancelled";
            finalHttp = httpStatus == 0 ? 499 : httpStatus;
        }
        if (finalStatus == null) {
            finalStatus = UsageStatus.SUCCESS;
        }
        long end = System.nanoTime();
        Long ttft = firstTextNanos == 0 ? null : (firstTextNanos - startNanos) / 1_000_000;
        long upstreamMs = ((upstreamEndNanos == 0 ? end : upstreamEndNanos) - startNanos) / 1_000_000;
        return new Snapshot(requestId, dialect, identified, keyId, userId, group, modelAsked, modelServed,
                priceModel == null || priceModel.equals(modelAsked) ? null : priceModel, channelId, provider,
                price, multiplierBp, promptTokens, reservation, upstreamCalled, upstreamServed, reported,
                text.toString(), finalStatus, finalHttp, finalError, startedAt, (end - startNanos) / 1_000_000, ttft,
                upstreamMs, streamCompletedNormally(), List.copyOf(attempts), rateGrant,
                capture == null ? null : capture.freeze(), traceparent, reportedIsBound);
    }

    private boolean streamCompletedNormally() {
        return streamCompleted && status != UsageStatus.UPSTREAM_ERROR;
    }

    /**
     * An immutable copy of the facts, handed to the publisher's thread.
     *
     * @param upstreamCalled an upstream call was attempted
     * @param upstreamServed the upstream began a successful answer (a 2xx whole answer, or an accepted stream)
     * @param streamCompleted a streamed body ended as the upstream meant it to (not cut, not cancelled)
     * @param capture        the bodies kept for a key that captures them, else null
     * @param traceparent    the request's W3C trace context, else null
     */
    record Snapshot(String requestId, String dialect, boolean identified, long keyId, long userId, String group,
            String modelAsked, String modelServed, String priceModel, Long channelId, String provider, PriceEntry price, long multiplierBp,
            long promptTokens, Reservation reservation, boolean upstreamCalled, boolean upstreamServed,
            TokenUsage reported, String text, UsageStatus status, int httpStatus, String errorClass,
            Instant startedAt, long latencyMs, Long ttftMs, long upstreamMs, boolean streamCompleted,
            List<Attempt> attempts, RateLimitGrant rateGrant, CapturedBodies capture, String traceparent,
            boolean reportedIsBound) {
    }
}
