package dev.tollgate.relay.metering.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only write-ahead log of usage events on local disk: segment files of records
 * {@code [int length][int crc32c][long appendedAtMillis][long userId][payload]} (CRC over everything after it),
 * where a payload that carries its request's W3C {@code traceparent} is {@code [0x00][byte n][n ASCII bytes][event]}
 * (an event is JSON, never starting with 0x00, so segments written before traces were kept read as they were),
 * each segment named by the index of its first record; a checkpoint file holds the index of the first record
 * not yet acknowledged by Kafka. Records are numbered by a global index that survives restarts.
 *
 * <p>Tape (fsync on every add: too slow for one event per request) and Chronicle Queue (needs
 * {@code --add-opens} JVM flags on Java 17+) were considered; a few hundred lines of our own are simpler.
 *
 * <p>Threads: one appender (the usage publisher, plus the periodic flusher) and one reader (the sender). Appends
 * and segment changes are under {@code this}; a {@link Reader} reads only below {@link #appendedIndex()}, so
 * never a record being written.
 */
public final class UsageSpool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageSpool.class);
    static final int HEADER = 4 + 4;
    static final int META = 8 + 8;
    /** A record larger than this is corruption, not an event. */
    static final int MAX_RECORD = 16 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    private static final String CHECKPOINT = "checkpoint";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    /** Segments by first index; the last one is the one appended to. */
    private final NavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private FileChannel active;
    private volatile long appendedIndex;
    private volatile long ackedIndex;
    private volatile long unackedBytes;
    private long checkpointed;
    private long unforcedRecords;

    private static final class Segment {
        final long firstIndex;
        final Path path;
        volatile long records;
        volatile long bytes;

        Segment(long firstIndex, Path path) {
            this.firstIndex = firstIndex;
            this.path = path;
        }
    }

    private UsageSpool(Path dir, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (or creates) the spool in {@code dir}: scans every segment, truncates a torn or corrupt tail (a
     * crash in the middle of a write), and resumes after the checkpoint.
     */
    public static UsageSpool open(Path dir, long maxBytes, long segmentBytes) {
        UsageSpool spool = new UsageSpool(dir, maxBytes, segmentBytes);
        try {
            Files.createDirectories(dir);
            spool.recover();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the usage spool in " + dir, e);
        }
        return spool;
    }

    private void recover() throws IOException {
        long checkpoint = readCheckpoint();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        long next = checkpoint;
        for (Path file : files) {
            String name = file.getFileName().toString();
            long first = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            Segment segment = new Segment(first, file);
            scan(segment);
            segments.put(first, segment);
            next = first + segment.records;
        }
        appendedIndex = next;
        ackedIndex = Math.min(Math.max(checkpoint, segments.isEmpty() ? checkpoint : segments.firstKey()), next);
        checkpointed = ackedIndex;
        unackedBytes = bytesFrom(ackedIndex);
        deleteAcknowledgedSegments();
        if (appendedIndex > ackedIndex) {
            log.info("Usage spool {}: {} events ({} bytes) not yet acknowledged by Kafka; they are sent first",
                    dir, appendedIndex - ackedIndex, unackedBytes);
        }
    }

    /** Counts a segment's valid records and cuts it after the last one. */
    private static void scan(Segment segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            long records = 0;
            while (true) {
                int length = validRecordAt(ch, pos, size);
                if (length < 0) {
                    break;
                }
                pos += HEADER + length;
                records++;
            }
            if (pos < size) {
                log.warn("Usage spool segment {}: {} bytes after record {} are torn or corrupt; truncated",
                        segment.path, size - pos, segment.firstIndex + records);
                ch.truncate(pos);
                ch.force(true);
            }
            segment.records = records;
            segment.bytes = pos;
        }
    }

    /** The payload length of a whole, CRC-valid record at {@code pos}, else -1. */
    private static int validRecordAt(FileChannel ch, long pos, long size) throws IOException {
        if (size - pos < HEADER) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(ch, header, pos);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        if (length < META || length > MAX_RECORD || size - pos - HEADER < length) {
            return -1;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, pos + HEADER);
        return crc(body.array()) == crc ? length : -1;
    }

    private long bytesFrom(long index) throws IOException {
        long bytes = 0;
        for (Segment s : segments.values()) {
            if (s.firstIndex + s.records <= index) {
                continue;
            }
            if (s.firstIndex >= index) {
                bytes += s.bytes;
                continue;
            }
            try (Reader r = new Reader(index)) {
                SpoolRecord rec;
                while (r.index < s.firstIndex + s.records && (rec = r.next()) != null) {
                    bytes += rec.sizeBytes();
                }
            }
        }
        return bytes;
    }

    /** Marks a payload that starts with its traceparent. */
    static final byte TRACED = 0x00;
    /** A W3C traceparent is 55 characters; anything past this is not one. */
    static final int MAX_TRACEPARENT = 255;

    /**
     * Appends one event (not yet forced to disk: see {@link #force}) and returns its index.
     *
     * @throws SpoolFullException when {@code mayExceedBound} is false and the spool holds its maximum
     */
    public synchronized long append(long userId, byte[] payload, boolean mayExceedBound) {
        return append(userId, payload, null, mayExceedBound);
    }

    /**
     * Appends one event with the W3C {@code traceparent} of the request it records (null when untraced), kept so a
     * replay after an outage still joins the request's trace.
     */
    public synchronized long append(long userId, byte[] payload, String traceparent, boolean mayExceedBound) {
        return appendRecord(userId, traced(payload, traceparent), mayExceedBound);
    }

    private long appendRecord(long userId, byte[] payload, boolean mayExceedBound) {
        int length = META + payload.length;
        if (!mayExceedBound && full()) {
            throw new SpoolFullException("usage spool holds " + unackedBytes + " bytes (max " + maxBytes + ")");
        }
        ByteBuffer buf = ByteBuffer.allocate(HEADER + length);
        buf.putInt(length).putInt(0).putLong(System.currentTimeMillis()).putLong(userId).put(payload);
        buf.putInt(4, crc(buf.array(), HEADER, length));
        buf.flip();
        try {
            Segment segment = activeSegment();
            long pos = segment.bytes;
            while (buf.hasRemaining()) {
                pos += active.write(buf, pos);
            }
            segment.bytes = pos;
            segment.records++;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the usage spool in " + dir, e);
        }
        unackedBytes += HEADER + length;
        unforcedRecords++;
        long index = appendedIndex;
        appendedIndex = index + 1;
        notifyAll();
        return index;
    }

    private Segment activeSegment() throws IOException {
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null && active != null && last.getValue().bytes < segmentBytes) {
            return last.getValue();
        }
        if (last != null && last.getValue().bytes < segmentBytes) {
            active = FileChannel.open(last.getValue().path, StandardOpenOption.WRITE);
            return last.getValue();
        }
        // Roll: the full segment is made durable once, here, before a new one starts.
        if (active != null) {
            active.force(false);
            active.close();
        }
        Segment segment = new Segment(appendedIndex, dir.resolve(String.format("%020d", appendedIndex) + SUFFIX));
        active = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(segment.firstIndex, segment);
        return segment;
    }

    /** Group commit: makes every appended record durable; returns how many were forced. */
    public synchronized long force() {
        if (unforcedRecords == 0 || active == null) {
            return 0;
        }
        try {
            active.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot force the usage spool in " + dir, e);
        }
        long forced = unforcedRecords;
        unforcedRecords = 0;
        return forced;
    }

    public synchronized long unforcedRecords() {
        return unforcedRecords;
    }

    /**
     * Kafka acknowledged every record below {@code nextIndex}; {@code bytes} is their size on disk. Whole
     * segments below it are deleted; the checkpoint is written by {@link #checkpoint}.
     */
    public synchronized void acknowledge(long nextIndex, long bytes) {
        if (nextIndex <= ackedIndex) {
            return;
        }
        ackedIndex = Math.min(nextIndex, appendedIndex);
        unackedBytes = Math.max(0, unackedBytes - bytes);
        deleteAcknowledgedSegments();
    }

    /** Persists the acknowledged position (write a temp file, then rename over the old one). */
    public void checkpoint() {
        long acked = ackedIndex;
        synchronized (this) {
            if (acked == checkpointed) {
                return;
            }
            checkpointed = acked;
        }
        Path tmp = dir.resolve(CHECKPOINT + ".tmp");
        try {
            Files.write(tmp, Long.toString(acked).getBytes(StandardCharsets.US_ASCII));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Not fatal: an older checkpoint only means resending acknowledged events, which the ledger dedupes.
            log.warn("Cannot write the usage spool checkpoint in {}: {}", dir, e.toString());
        }
    }

    private long readCheckpoint() throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            log.warn("Usage spool checkpoint in {} is unreadable; resending everything in the spool", dir);
            return 0;
        }
    }

    private void deleteAcknowledgedSegments() {
        List<Segment> done = new ArrayList<>();
        for (Segment s : segments.values()) {
            boolean last = s == segments.lastEntry().getValue();
            if (!last && s.firstIndex + s.records <= ackedIndex) {
                done.add(s);
            }
        }
        for (Segment s : done) {
            segments.remove(s.firstIndex);
            try {
                Files.deleteIfExists(s.path);
            } catch (IOException e) {
                log.warn("Cannot delete acknowledged usage spool segment {}: {}", s.path, e.toString());
            }
        }
    }

    public boolean full() {
        return unackedBytes >= maxBytes;
    }

    /** Index the next append gets; records below it are readable. */
    public long appendedIndex() {
        return appendedIndex;
    }

    /** Index of the first record Kafka has not acknowledged. */
    public long ackedIndex() {
        return ackedIndex;
    }

    public long spooledEvents() {
        return appendedIndex - ackedIndex;
    }

    public long spooledBytes() {
        return unackedBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    int segmentCount() {
        return segments.size();
    }

    Path dir() {
        return dir;
    }

    /** Waits until a record at or after {@code index} is appended, or the timeout passes. */
    public synchronized void awaitAppend(long index, long timeoutMs) throws InterruptedException {
        if (appendedIndex <= index) {
            wait(timeoutMs);
        }
    }

    /** Reads records in order from {@code fromIndex}; used by one thread. */
    public Reader reader(long fromIndex) {
        return new Reader(fromIndex);
    }

    @Override
    public synchronized void close() {
        try {
            force();
            if (active != null) {
                active.close();
                active = null;
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Closing the usage spool failed: {}", e.toString());
        }
        checkpoint();
    }

    private static byte[] traced(byte[] payload, String traceparent) {
        if (traceparent == null || traceparent.isEmpty() || traceparent.length() > MAX_TRACEPARENT) {
            return payload;
        }
        byte[] tp = traceparent.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(2 + tp.length + payload.length)
                .put(TRACED).put((byte) tp.length).put(tp).put(payload).array();
    }

    private static SpoolRecord untraced(long index, long at, long userId, byte[] stored, int sizeBytes) {
        if (stored.length < 2 || stored[0] != TRACED || stored.length < 2 + (stored[1] & 0xff)) {
            return new SpoolRecord(index, at, userId, stored, sizeBytes, null);
        }
        int n = stored[1] & 0xff;
        String traceparent = new String(stored, 2, n, StandardCharsets.US_ASCII);
        byte[] event = Arrays.copyOfRange(stored, 2 + n, stored.length);
        return new SpoolRecord(index, at, userId, event, sizeBytes, traceparent);
    }

    private static int crc(byte[] bytes) {
        return crc(bytes, 0, bytes.length);
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of spool segment");
            }
            pos += n;
        }
    }

    /** A forward cursor over the spool; {@link #next()} answers null at the end of what was appended. */
    public final class Reader implements AutoCloseable {
        private long index;
        private Segment segment;
        private FileChannel channel;
        private long position;

        private Reader(long fromIndex) {
            this.index = fromIndex;
        }

        public long index() {
            return index;
        }

        public SpoolRecord next() {
            if (index >= appendedIndex) {
                return null;
            }
            try {
                if (segment == null || index >= segment.firstIndex + segment.records) {
                    openSegmentFor(index);
                }
                ByteBuffer header = ByteBuffer.allocate(HEADER + META);
                readFully(channel, header, position);
                header.flip();
                int length = header.getInt();
                header.getInt();
                long at = header.getLong();
                long userId = header.getLong();
                byte[] payload = new byte[length - META];
                readFully(channel, ByteBuffer.wrap(payload), position + HEADER + META);
                SpoolRecord record = untraced(index, at, userId, payload, HEADER + length);
                position += HEADER + length;
                index++;
                return record;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the usage spool in " + dir, e);
            }
        }

        private void openSegmentFor(long wanted) throws IOException {
            close();
            Map.Entry<Long, Segment> entry = segments.floorEntry(wanted);
            if (entry == null) {
                throw new IOException("no spool segment holds record " + wanted);
            }
            segment = entry.getValue();
            channel = FileChannel.open(segment.path, StandardOpenOption.READ);
            position = 0;
            // Skip to the wanted record (only after a rewind or at a start inside a segment).
            for (long i = segment.firstIndex; i < wanted; i++) {
                ByteBuffer len = ByteBuffer.allocate(4);
                readFully(channel, len, position);
                position += HEADER + len.getInt(0);
            }
        }

        @Override
        public void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
                channel = null;
            }
            segment = null;
        }
    }
}
