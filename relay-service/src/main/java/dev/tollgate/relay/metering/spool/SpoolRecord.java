package dev.tollgate.relay.metering.spool;

/**
 * One spooled usage event as read back: its position in the spool, when it was appended, the Kafka key (user
 * id) and the encoded event; {@code sizeBytes} is what it takes on disk.
 */
public record SpoolRecord(long index, long appendedAtMillis, long userId, byte[] payload, int sizeBytes) {
}
