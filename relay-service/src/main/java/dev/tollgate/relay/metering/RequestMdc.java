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

    private RequestMdc() {
    }

    public static RequestMdc of(RequestMeter meter) {
        RequestMeter.LogIds ids = meter.logIds();
        MDC.put(REQUEST_ID, ids.requestId());
        putIfSet(KEY_ID, ids.keyId() == 0 ? null : Long.toString(ids.keyId()));
        putIfSet(CHANNEL_ID, ids.channelId() == null ? null : ids.channelId().toString());
        putIfSet(MODEL, ids.model());
        return new RequestMdc();
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
    }
}
