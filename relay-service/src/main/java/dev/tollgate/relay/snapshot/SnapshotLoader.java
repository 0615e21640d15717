package dev.tollgate.relay.snapshot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Brings the snapshot up in the order that loses no update: capture the changes topic's end offsets, then
 * load MySQL, then follow from the captured offsets. Kafka being unreachable does not hold the start up (the
 * follower then replays the changes topic from its beginning once it connects); MySQL being unreachable does:
 * the loader retries with backoff and the relay stays not ready until the snapshot is loaded.
 */
public class SnapshotLoader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SnapshotLoader.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);
    /** How long Kafka may take to tell where the changes topic ends before the snapshot loads without it. */
    private static final Duration OFFSETS_DEADLINE = Duration.ofSeconds(3);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final RelaySnapshot snapshot;
    private final ChangeFollower follower;
    private final ScheduledExecutorService executor;
    private volatile boolean running;
    private volatile String lastFailure;

    public SnapshotLoader(RelaySnapshot snapshot, ChangeFollower follower) {
        this.snapshot = snapshot;
        this.follower = follower;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-snapshot-loader");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {
        running = true;
        executor.execute(() -> attempt(500));
    }

    @Override
    public void stop() {
        running = false;
        executor.shutdownNow();
        follower.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public String lastFailure() {
        return lastFailure;
    }

    private void attempt(long backoffMs) {
        if (!running) {
            return;
        }
        try {
            follower.captureEndOffsets(OFFSETS_DEADLINE);
            snapshot.loadWhole(LOAD_TIMEOUT);
            follower.start();
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            log.warn("Snapshot not loaded yet ({}); retrying in {} ms", lastFailure, backoffMs);
            long next = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            executor.schedule(() -> attempt(next), backoffMs, TimeUnit.MILLISECONDS);
        }
    }
}
