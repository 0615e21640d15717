package dev.tollgate.relay.metering.spool;

/**
 * One spooled usage event as read back: its position in the spool, when it was appended, the Kafka key (user
 * id) and the encoded event; {@code sizeBytes} is what it takes on disk; {@code traceparent} is the W3C trace
 * context of the request it records, sent as a Kafka header (null when the request was not traced).
 */
public record SpoolRecord(long index, long appendedAtMillis, long userId, byte[] payload, int sizeBytes,
        String traceparent) {

    public SpoolRecord(long index, long appendedAtMillis, long userId, byte[] payload, int sizeBytes) {
        this(index, appendedAtMillis, userId, payload, sizeBytes, null);
    }
}
