package dev.tollgate.relay.metering;

import org.slf4j.MDC;

/**
 * A request's ids in the logging MDC for the lines written inside a try-with-resources, on the thread that writes
 * them: Reactor moves a request between threads, so the ids are put around a log call, never left behind. The key
 * id only, never the key.
 */
public final class RequestMdc implements AutoCloseable {

    public static final String REQUEST_ID = "requestId";
    public static final String KEY_ID = "keyId";
    public static final String CHANNEL_ID = "channelId";
    public static final String MODEL = "model";
    /** Micrometer Tracing's own MDC names, so a traced request's lines join its trace in the log search. */
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private final boolean traced;

    private RequestMdc(boolean traced) {
        this.traced = traced;
    }

    public static RequestMdc of(RequestMeter meter) {
        RequestMeter.LogIds ids = meter.logIds();
        MDC.put(REQUEST_ID, ids.requestId());
        putIfSet(KEY_ID, ids.keyId() == 0 ? null : Long.toString(ids.keyId()));
        putIfSet(CHANNEL_ID, ids.channelId() == null ? null : ids.channelId().toString());
        putIfSet(MODEL, ids.model());
        String traceparent = meter.traceparent();
        // version-traceId-spanId-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.
        boolean traced = traceparent != null && traceparent.length() == 55;
        if (traced) {
            MDC.put(TRACE_ID, traceparent.substring(3, 35));
            MDC.put(SPAN_ID, traceparent.substring(36, 52));
        }
        return new RequestMdc(traced);
    }

    private static void putIfSet(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(KEY_ID);
        MDC.remove(CHANNEL_ID);
        MDC.remove(MODEL);
        if (traced) {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
        }
    }
}
