package dev.tollgate.local.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * A streaming-chat load generator (wrk cannot time an SSE stream's first byte or its chunks): each stream's
 * time to its first SSE line, its total time, and the gaps between its content chunks as they reach the
 * client. The JDK client reads without blocking, so a thousand streams need no thousand threads.
 */
final class StreamLoad {

    /** One finished stream; times in nanoseconds from the request being sent. */
    record Stream(long firstLineNanos, long totalNanos, long[] chunkArrivals, boolean sawLine, boolean done, String error) {
    }

    /** The streams of one run, and what they add up to. */
    record Result(List<Stream> streams, double seconds) {

        long ok() {
            return streams.stream().filter(s -> s.done() && s.error() == null).count();
        }

        long dropped() {
            return streams.size() - ok();
        }

        double rps() {
            return ok() / seconds;
        }

        long ttfbUs(double pct) {
            return percentile(streams.stream().filter(s -> s.error() == null)
                    .mapToLong(s -> s.firstLineNanos() / 1000).toArray(), pct);
        }

        long totalUs(double pct) {
            return percentile(streams.stream().filter(s -> s.error() == null)
                    .mapToLong(s -> s.totalNanos() / 1000).toArray(), pct);
        }

        /** Content chunks that arrived within {@code minGapNanos} of the previous one: held back, then let go together. */
        double bunchedPercent(long minGapNanos) {
            long gaps = 0;
            long bunched = 0;
            for (Stream s : streams) {
                long[] t = s.chunkArrivals();
                for (int i = 1; i < t.length; i++) {
                    gaps++;
                    if (t[i] - t[i - 1] < minGapNanos) {
                        bunched++;
                    }
                }
            }
            return gaps == 0 ? 0 : 100.0 * bunched / gaps;
        }

        String firstError() {
            return streams.stream().map(Stream::error).filter(e -> e != null).findFirst().orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** {@code concurrency} streams at a time, each started as soon as another ends, for {@code seconds}. */
    Result closedLoop(String url, String authorization, String body, int concurrency, int seconds)
            throws InterruptedException {
        List<Stream> done = new ArrayList<>();
        ConcurrentLinkedQueue<Stream> finished = new ConcurrentLinkedQueue<>();
        Semaphore slots = new Semaphore(concurrency);
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                continue;
            }
            start(url, authorization, body, null).whenComplete((s, e) -> {
                finished.add(s);
                slots.release();
            });
        }
        slots.acquire(concurrency); // the last ones finish
        double elapsed = (System.nanoTime() - t0) / 1e9;
        done.addAll(finished);
        return new Result(done, elapsed);
    }

    /**
     * {@code count} streams opened over {@code rampSeconds} and held until they end; {@code open} is told how
     * many are open so the caller can sample the relay's memory at the peak.
     */
    Result holdOpen(String url, String authorization, String body, int count, int rampSeconds, AtomicInteger open)
            throws InterruptedException {
        List<CompletableFuture<Stream>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        long spacing = TimeUnit.SECONDS.toNanos(rampSeconds) / Math.max(1, count);
        for (int i = 0; i < count; i++) {
            long due = t0 + i * spacing;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the ramp, not a synchronisation
            }
            all.add(start(url, authorization, body, n -> open.incrementAndGet())
                    .whenComplete((s, e) -> {
                        if (s != null && s.sawLine()) {
                            open.decrementAndGet();
                        }
                    }));
        }
        List<Stream> streams = new ArrayList<>();
        for (CompletableFuture<Stream> f : all) {
            streams.add(f.join());
        }
        return new Result(streams, (System.nanoTime() - t0) / 1e9);
    }

    /** One stream; never completes exceptionally (an error is kept in the result). */
    private CompletableFuture<Stream> start(String url, String authorization, String body, LongConsumer onFirstLine) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        long t0 = System.nanoTime();
        Lines lines = new Lines(t0, onFirstLine);
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines))
                .handle((response, error) -> {
                    long total = System.nanoTime() - t0;
                    String problem = error != null ? error.toString()
                            : response.statusCode() != 200 ? "HTTP " + response.statusCode()
                            : !lines.done ? "stream ended without [DONE]" : null;
                    return new Stream(lines.first == 0 ? total : lines.first, total,
                            Arrays.copyOf(lines.chunks, lines.chunkCount), lines.first != 0, lines.done, problem);
                });
    }

    /** Timestamps each SSE line as it arrives. */
    private static final class Lines implements Flow.Subscriber<String> {
        private final long t0;
        private final LongConsumer onFirstLine;
        private final AtomicInteger seen = new AtomicInteger();
        volatile long first;
        long[] chunks = new long[32];
        int chunkCount;
        volatile boolean done;

        Lines(long t0, LongConsumer onFirstLine) {
            this.t0 = t0;
            this.onFirstLine = onFirstLine;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                return;
            }
            long now = System.nanoTime() - t0;
            if (seen.getAndIncrement() == 0) {
                first = now;
                if (onFirstLine != null) {
                    onFirstLine.accept(now);
                }
            }
            if (line.startsWith("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data:") && line.contains("\"content\":\"")) {
                if (chunkCount == chunks.length) {
                    chunks = Arrays.copyOf(chunks, chunkCount * 2);
                }
                chunks[chunkCount++] = now;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // the response future completes after this
        }
    }

    static long percentile(long[] values, double pct) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
