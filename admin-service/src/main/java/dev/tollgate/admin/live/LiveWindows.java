package dev.tollgate.admin.live;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Rolling windows of finished requests: a ring of 60 one-second slots (the last minute) and one of 60 one-minute
 * slots (the last hour), each holding counts and latency histograms in total, per channel and per model.
 * A request counts in the slot of its {@code finishedAt} (one from the future counts now; one older than the
 * hour is dropped). Memory is bounded: slots are reused, and each slot keeps at most {@link #MAX_KEYS} channels
 * and models (the rest count as {@link #OTHER}), since model names come from customers. Thread-safe.
 */
public final class LiveWindows {

    static final int SLOTS = 60;
    static final int MAX_KEYS = 200;
    static final String OTHER = "(other)";
    // 2 significant digits: percentiles within 1%; the histograms grow only to the range recorded.
    private static final int DIGITS = 2;

    private final Ring seconds = new Ring(Duration.ofSeconds(1));
    private final Ring minutes = new Ring(Duration.ofMinutes(1));
    private final Instant startedAt;

    public LiveWindows(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** Counts one finished request with what it cost. */
    public synchronized void record(UsageEvent event, long costMicros, Instant now) {
        Instant at = event.finishedAt() != null ? event.finishedAt() : event.at();
        if (at == null || at.isAfter(now)) {
            at = now;
        }
        if (at.isBefore(now.minus(minutes.span()))) {
            return;
        }
        seconds.record(at, event, costMicros, now);
        minutes.record(at, event, costMicros, now);
    }

    public synchronized LiveSnapshot snapshot(Instant now, boolean following) {
        return new LiveSnapshot(now, following, seconds.window(now, startedAt), minutes.window(now, startedAt),
                seconds.series(now), minutes.series(now));
    }

    /** Counts and histograms of one slot, for one key (or the total). */
    private static final class Cell {
        long requests;
        long errors;
        long rejected;
        long tokens;
        long costMicros;
        IntCountsHistogram latency;
        IntCountsHistogram ttft;

        void add(UsageEvent e, long cost) {
            requests++;
            tokens += e.inputTokens() + e.cacheReadTokens() + e.cacheWriteTokens() + e.outputTokens();
            costMicros += cost;
            if (e.status() == UsageStatus.REJECTED) {
                rejected++;
                return;
            }
            if (e.status() == UsageStatus.UPSTREAM_ERROR) {
                errors++;
            }
            latency = recordInto(latency, e.latencyMs());
            if (e.ttftMs() != null) {
                ttft = recordInto(ttft, e.ttftMs());
            }
        }

        void add(Cell other) {
            requests += other.requests;
            errors += other.errors;
            rejected += other.rejected;
            tokens += other.tokens;
            costMicros += other.costMicros;
            if (other.latency != null) {
                latency = merge(latency, other.latency);
            }
            if (other.ttft != null) {
                ttft = merge(ttft, other.ttft);
            }
        }

        LiveSnapshot.Stats stats(long coveredSeconds) {
            long secs = Math.max(1, coveredSeconds);
            long served = requests - rejected;
            return new LiveSnapshot.Stats(requests, errors, rejected, tokens, costMicros, (double) requests / secs,
                    (double) tokens / secs, served == 0 ? 0 : (double) errors / served,
                    perMinute(costMicros, secs),
                    percentile(latency, 50), percentile(latency, 99), percentile(ttft, 50), percentile(ttft, 99));
        }

        /** Micros per minute over {@code secs} seconds, rounded down; exact unless 60 × cost overflows. */
        static long perMinute(long costMicros, long secs) {
            try {
                return Math.multiplyExact(costMicros, 60L) / secs;
            } catch (ArithmeticException overflow) {
                return costMicros / secs * 60;
            }
        }

        private static IntCountsHistogram recordInto(IntCountsHistogram h, long value) {
            IntCountsHistogram target = h != null ? h : newHistogram();
            target.recordValue(Math.max(0, value));
            return target;
        }

        private static IntCountsHistogram merge(IntCountsHistogram into, IntCountsHistogram from) {
            IntCountsHistogram target = into != null ? into : newHistogram();
            target.add(from);
            return target;
        }

        private static IntCountsHistogram newHistogram() {
            IntCountsHistogram h = new IntCountsHistogram(DIGITS);
            h.setAutoResize(true);
            return h;
        }

        private static Long percentile(IntCountsHistogram h, double p) {
            return h == null || h.getTotalCount() == 0 ? null : h.getValueAtPercentile(p);
        }
    }

    /** One slot: everything that finished in [index·span, (index+1)·span). */
    private static final class Slot {
        long index = Long.MIN_VALUE;
        Cell total = new Cell();
        Map<String, Cell> byChannel = new HashMap<>();
        Map<String, Cell> byModel = new HashMap<>();

        void reset(long newIndex) {
            index = newIndex;
            total = new Cell();
            byChannel = new HashMap<>();
            byModel = new HashMap<>();
        }

        void add(UsageEvent e, long cost) {
            total.add(e, cost);
            if (e.channelId() != null) {
                cell(byChannel, Long.toString(e.channelId())).add(e, cost);
            }
            String model = e.modelAsked() == null || e.modelAsked().isBlank() ? "(none)" : e.modelAsked();
            cell(byModel, model).add(e, cost);
        }

        private static Cell cell(Map<String, Cell> cells, String key) {
            Cell c = cells.get(key);
            if (c != null) {
                return c;
            }
            return cells.computeIfAbsent(cells.size() < MAX_KEYS ? key : OTHER, k -> new Cell());
        }
    }

    /** {@link #SLOTS} slots of one span each, reused round the ring. */
    private static final class Ring {
        private final Duration span;
        private final long spanMillis;
        private final Slot[] slots = new Slot[SLOTS];

        Ring(Duration slotSpan) {
            this.spanMillis = slotSpan.toMillis();
            this.span = slotSpan.multipliedBy(SLOTS);
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = new Slot();
            }
        }

        Duration span() {
            return span;
        }

        void record(Instant at, UsageEvent e, long cost, Instant now) {
            long index = at.toEpochMilli() / spanMillis;
            if (index <= indexOf(now) - SLOTS) {
                return;
            }
            Slot slot = slots[(int) Math.floorMod(index, (long) SLOTS)];
            if (slot.index != index) {
                slot.reset(index);
            }
            slot.add(e, cost);
        }

        LiveSnapshot.Window window(Instant now, Instant startedAt) {
            Cell total = new Cell();
            Map<String, Cell> byChannel = new HashMap<>();
            Map<String, Cell> byModel = new HashMap<>();
            for (Slot slot : live(now)) {
                total.add(slot.total);
                slot.byChannel.forEach((k, c) -> byChannel.computeIfAbsent(k, x -> new Cell()).add(c));
                slot.byModel.forEach((k, c) -> byModel.computeIfAbsent(k, x -> new Cell()).add(c));
            }
            long covered = Math.min(span.toSeconds(),
                    Math.max(1, Duration.between(startedAt, now).toSeconds()));
            return new LiveSnapshot.Window(span.toSeconds(), covered, total.stats(covered), keyed(byChannel, covered),
                    keyed(byModel, covered));
        }

        /** One point per slot of the window, oldest first, empty slots included (a chart needs the gaps). */
        List<LiveSnapshot.Point> series(Instant now) {
            long last = indexOf(now);
            List<LiveSnapshot.Point> points = new ArrayList<>(SLOTS);
            for (long index = last - SLOTS + 1; index <= last; index++) {
                Slot slot = slots[(int) Math.floorMod(index, (long) SLOTS)];
                Cell c = slot.index == index ? slot.total : new Cell();
                points.add(new LiveSnapshot.Point(Instant.ofEpochMilli(index * spanMillis), c.requests, c.errors,
                        c.tokens, c.costMicros, Cell.percentile(c.latency, 50), Cell.percentile(c.latency, 99),
                        Cell.percentile(c.ttft, 50), Cell.percentile(c.ttft, 99)));
            }
            return points;
        }

        private List<Slot> live(Instant now) {
            long last = indexOf(now);
            List<Slot> live = new ArrayList<>(SLOTS);
            for (Slot slot : slots) {
                if (slot.index > last - SLOTS && slot.index <= last) {
                    live.add(slot);
                }
            }
            return live;
        }

        private long indexOf(Instant t) {
            return t.toEpochMilli() / spanMillis;
        }

        private static List<LiveSnapshot.Keyed> keyed(Map<String, Cell> cells, long covered) {
            return cells.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<String, Cell> e) -> e.getValue().requests).reversed()
                            .thenComparing(Map.Entry::getKey))
                    .map(e -> new LiveSnapshot.Keyed(e.getKey(), e.getValue().stats(covered)))
                    .toList();
        }
    }
}
