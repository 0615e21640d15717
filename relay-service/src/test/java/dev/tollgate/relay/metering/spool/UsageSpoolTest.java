package dev.tollgate.relay.metering.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageSpoolTest {

    @TempDir
    Path dir;

    private static byte[] payload(int i) {
        return ("{\"event\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<SpoolRecord> readAll(UsageSpool spool, long from) {
        List<SpoolRecord> out = new ArrayList<>();
        try (UsageSpool.Reader reader = spool.reader(from)) {
            SpoolRecord r;
            while ((r = reader.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void shouldReadBackAppendedRecordsInOrderWithKeyAndPayload() {
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                assertThat(spool.append(100 + i, payload(i), false)).isEqualTo(i);
            }
            List<SpoolRecord> read = readAll(spool, 0);

            assertThat(read).extracting(SpoolRecord::index).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(read).extracting(SpoolRecord::userId).containsExactly(100L, 101L, 102L, 103L, 104L);
            assertThat(new String(read.get(3).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"event\":3}");
            assertThat(spool.spooledEvents()).isEqualTo(5);
            assertThat(spool.spooledBytes()).isEqualTo(read.stream().mapToLong(SpoolRecord::sizeBytes).sum());
        }
    }

    @Test
    void shouldKeepEachRecordsTraceparentWhenReopenedForAReplay() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            spool.append(1, payload(0), traceparent, false);
            spool.append(2, payload(1), false);
            spool.append(3, payload(2), null, false);
        }
        // The relay restarted with nothing acknowledged: the replay must still join each request's trace.
        try (UsageSpool reopened = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            List<SpoolRecord> read = readAll(reopened, 0);

            assertThat(read).extracting(SpoolRecord::traceparent).containsExactly(traceparent, null, null);
            assertThat(read).extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
                    .containsExactly("{\"event\":0}", "{\"event\":1}", "{\"event\":2}");
            assertThat(read).extracting(SpoolRecord::userId).containsExactly(1L, 2L, 3L);
            assertThat(reopened.spooledBytes()).isEqualTo(read.stream().mapToLong(SpoolRecord::sizeBytes).sum());
        }
    }

    @Test
    void shouldResumeAfterCheckpointWhenReopened() {
        long bytesOfFirstThree = 0;
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                spool.append(1, payload(i), false);
            }
            for (SpoolRecord r : readAll(spool, 0).subList(0, 3)) {
                bytesOfFirstThree += r.sizeBytes();
            }
            spool.acknowledge(3, bytesOfFirstThree);
            spool.checkpoint();
        }
        try (UsageSpool reopened = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            assertThat(reopened.ackedIndex()).isEqualTo(3);
            assertThat(reopened.spooledEvents()).isEqualTo(2);
            assertThat(readAll(reopened, reopened.ackedIndex())).extracting(r -> new String(r.payload(),
                    StandardCharsets.UTF_8)).containsExactly("{\"event\":3}", "{\"event\":4}");
            assertThat(reopened.append(1, payload(5), false)).as("indexes keep growing").isEqualTo(5);
        }
    }

    @Test
    void shouldRollSegmentsAndDeleteThoseWhollyAcknowledged() throws Exception {
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 100)) {
            for (int i = 0; i < 12; i++) {
                spool.append(1, payload(i), false);
            }
            int before = segments().size();
            assertThat(before).as("100-byte segments roll").isGreaterThan(3);
            List<SpoolRecord> all = readAll(spool, 0);
            assertThat(all).hasSize(12);

            long bytes = all.subList(0, 8).stream().mapToLong(SpoolRecord::sizeBytes).sum();
            spool.acknowledge(8, bytes);

            assertThat(segments().size()).isLessThan(before);
            assertThat(spool.spooledEvents()).isEqualTo(4);
            assertThat(readAll(spool, 8)).extracting(SpoolRecord::index).containsExactly(8L, 9L, 10L, 11L);
        }
        try (UsageSpool reopened = UsageSpool.open(dir, 1 << 20, 100)) {
            assertThat(reopened.appendedIndex()).isEqualTo(12);
        }
    }

    @Test
    void shouldTruncateTornTailRecordWhenOpenedNotFail() throws Exception {
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 3; i++) {
                spool.append(1, payload(i), false);
            }
        }
        Path segment = segments().get(0);
        long whole = Files.size(segment);
        // A crash mid-write: half a record at the tail.
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer torn = ByteBuffer.allocate(12).putInt(200).putInt(12345).putInt(7);
            torn.flip();
            ch.write(torn);
        }

        try (UsageSpool reopened = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            assertThat(reopened.appendedIndex()).isEqualTo(3);
            assertThat(Files.size(segment)).isEqualTo(whole);
            assertThat(reopened.append(1, payload(3), false)).isEqualTo(3);
            assertThat(readAll(reopened, 0)).hasSize(4);
        }
    }

    @Test
    void shouldDropRecordWithBadCrcAtTailWhenOpened() throws Exception {
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 3; i++) {
                spool.append(1, payload(i), false);
            }
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), size - 2); // flip a byte in the last record's payload
        }

        try (UsageSpool reopened = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            assertThat(reopened.appendedIndex()).isEqualTo(2);
            assertThat(readAll(reopened, 0)).extracting(SpoolRecord::index).containsExactly(0L, 1L);
        }
    }

    @Test
    void shouldBeFullAtBoundAndRefuseOnlyAppendsThatMayNotExceedIt() {
        try (UsageSpool spool = UsageSpool.open(dir, 100, 1 << 20)) {
            while (!spool.full()) {
                spool.append(1, payload(1), false);
            }
            long held = spool.spooledEvents();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.append(1, payload(2), false))
                    .isInstanceOf(SpoolFullException.class);
            spool.append(1, payload(3), true); // an admitted request's event is never dropped
            assertThat(spool.spooledEvents()).isEqualTo(held + 1);

            List<SpoolRecord> all = readAll(spool, 0);
            spool.acknowledge(all.size(), all.stream().mapToLong(SpoolRecord::sizeBytes).sum());
            assertThat(spool.full()).isFalse();
            assertThat(spool.spooledBytes()).isZero();
        }
    }

    @Test
    void shouldForceOnlyWhenSomethingIsUnforced() {
        try (UsageSpool spool = UsageSpool.open(dir, 1 << 20, 1 << 20)) {
            spool.append(1, payload(1), false);
            spool.append(1, payload(2), false);
            assertThat(spool.force()).isEqualTo(2);
            assertThat(spool.force()).isZero();
        }
    }
}
