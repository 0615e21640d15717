package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sign-outs the ledger did not confirm in time, kept in memory and sent again with the same command id (the ledger
 * applies an id once) in bursts with a doubling pause, until the ledger answers or the sign-out is moot: every token
 * it ends has expired. The sign-out already holds on this instance; this makes it reach the others. Lost if this
 * instance stops first (documented): the tokens then live on elsewhere until they expire.
 */
@Component
class PendingRevocations implements DisposableBean {

    static final String GAUGE = "tollgate.admin.sessions.revocations.pending";
    private static final Logger log = LoggerFactory.getLogger(PendingRevocations.class);
    /** Resends in flight at once within one burst. */
    private static final int CONCURRENCY = 32;

    /** How a command reaches the ledger: {@link CommandGateway#send} (a seam for tests). */
    @FunctionalInterface
    interface Sender {
        Mono<Change.CommandResult> send(Command command, String commandId, String fingerprint, String actor);
    }

    /** One unconfirmed sign-out; moot from {@code mootAt}, when every token it ends has expired. */
    private record Pending(Command command, String commandId, String fingerprint, String actor, Instant mootAt) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Sender sender;
    private final Clock clock;
    private final RevocationRetryProperties properties;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean looping = new AtomicBoolean();
    private volatile boolean closed;

    @Autowired
    PendingRevocations(CommandGateway gateway, Clock clock, RevocationRetryProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        this(gateway::send, clock, properties, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    PendingRevocations(Sender sender, Clock clock, RevocationRetryProperties properties, MeterRegistry meters) {
        this.sender = sender;
        this.clock = clock;
        this.properties = properties;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "revocation-retries");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder(GAUGE, pending, Map::size)
                .description("Sign-outs the ledger has not confirmed yet; sent again until it does or they expire")
                .register(meters);
    }

    /**
     * Keeps sending {@code command} until the ledger answers or {@code mootAt} passes. False when it is not kept:
     * already moot (no command at all), or too many are pending (it then holds on this instance only).
     */
    boolean add(Command command, String commandId, String fingerprint, String actor, Instant mootAt) {
        if (!mootAt.isAfter(clock.instant())) {
            return false;
        }
        if (pending.size() >= properties.maxPending() && !pending.containsKey(commandId)) {
            log.warn("{} sign-outs already wait for the ledger: this one holds on this admin instance only",
                    pending.size());
            return false;
        }
        pending.putIfAbsent(commandId, new Pending(command, commandId, fingerprint, actor, mootAt));
        startLoop();
        return true;
    }

    /** The ledger answered this command id (to a client's own retry, say): nothing left to send. */
    void confirmed(String commandId) {
        pending.remove(commandId);
    }

    int size() {
        return pending.size();
    }

    private void startLoop() {
        if (!closed && looping.compareAndSet(false, true)) {
            schedule(properties.first());
        }
    }

    private void schedule(Duration delay) {
        try {
            timer.schedule(() -> burst(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            looping.set(false); // shutting down
        }
    }

    private void burst(Duration delay) {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        List<Pending> due = new ArrayList<>();
        int moot = 0;
        for (Pending p : pending.values()) {
            if (p.mootAt().isAfter(now)) {
                due.add(p);
            } else if (pending.remove(p.commandId(), p)) {
                moot++;
            }
        }
        if (moot > 0) {
            log.info("Dropped {} unconfirmed sign-outs: every token they end has expired", moot);
        }
        if (due.isEmpty()) {
            stopLoop();
            return;
        }
        // One line per burst; counts only (a session id or token never reaches a log).
        log.warn("The ledger has not confirmed {} sign-outs: sending them again (other admin instances may accept "
                + "those sessions until it does)", due.size());
        Flux.fromIterable(due)
                .flatMap(this::resend, CONCURRENCY)
                .then()
                .doFinally(signal -> afterBurst(delay))
                .subscribe();
    }

    private Mono<Void> resend(Pending p) {
        return Mono.defer(() -> sender.send(p.command(), p.commandId(), p.fingerprint(), p.actor()))
                .doOnNext(result -> answered(p, result))
                // Unavailable again: it stays for the next burst.
                .onErrorResume(error -> Mono.empty())
                .then();
    }

    private void answered(Pending p, Change.CommandResult result) {
        pending.remove(p.commandId(), p);
        if (!result.ok()) {
            // A reasoned refusal (the user is gone, say) will not change by sending it again.
            log.warn("The ledger refused a pending sign-out ({}): {}", result.code(), result.message());
        }
    }

    private void afterBurst(Duration delay) {
        if (pending.isEmpty() || closed) {
            stopLoop();
            return;
        }
        Duration doubled = delay.multipliedBy(2);
        schedule(doubled.compareTo(properties.max()) > 0 ? properties.max() : doubled);
    }

    private void stopLoop() {
        looping.set(false);
        // Something added between the last look and the flag going down would otherwise wait for the next add.
        if (!pending.isEmpty()) {
            startLoop();
        }
    }

    @Override
    public void destroy() {
        closed = true;
        timer.shutdownNow();
    }
}
