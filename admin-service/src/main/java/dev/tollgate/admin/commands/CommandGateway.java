package dev.tollgate.admin.commands;

import dev.tollgate.admin.config.AdminProperties;
import dev.tollgate.admin.config.KafkaSettings;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command to the ledger and answers with the ledger's result for it, read from the changes
 * topic. The waiter is registered before the send, so a fast answer is never missed. Every command
 * carries the fingerprint of the request it came from, so the ledger can refuse an id reused for another.
 */
@Component
public class CommandGateway implements DisposableBean {

    public static final String UNAVAILABLE_MESSAGE =
            "the ledger did not confirm the change in time; retry with the same Idempotency-Key";
    public static final String ROUND_TRIP = "tollgate.admin.command.roundtrip";
    private static final Logger log = LoggerFactory.getLogger(CommandGateway.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ChangesFollower follower;
    private final String commandsTopic;
    private final Duration timeout;
    private final Map<String, Waiter> pending = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    /** Callers of one command id; only requests with the same fingerprint may share an answer. */
    private record Waiter(String fingerprint, Sinks.One<Change.CommandResult> sink) {
    }

    public CommandGateway(KafkaSettings kafka, AdminProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.timeout = properties.commandTimeout();
        this.commandsTopic = kafka.topics().commands();
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.put("client.id", "tollgate-admin-commands");
        // send() blocks while metadata is missing; never longer than a caller would wait anyway.
        props.put("max.block.ms", String.valueOf(Math.max(timeout.toMillis(), 1000)));
        this.producer = new KafkaProducer<>(props);
        this.follower = new ChangesFollower(kafka.clientProperties(), kafka.topics().changes(), this::onChange,
                this::onPositioned);
        this.follower.start();
    }

    /**
     * The ledger's result for the command, or a 503 {@code ledger_unavailable} when none arrives in
     * time. A rejection is returned as a result, not an error: callers map it with {@link CommandResults}.
     * A command id already in flight here for another fingerprint is refused at once (422), since both
     * would read the same result.
     */
    public Mono<Change.CommandResult> send(Command command, String commandId, String fingerprint, String actor) {
        return Mono.defer(() -> {
            Waiter waiter = pending.computeIfAbsent(commandId, id -> new Waiter(fingerprint, Sinks.one()));
            if (!Objects.equals(waiter.fingerprint(), fingerprint)) {
                return Mono.error(CommandResults.keyReused());
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(commandsTopic, command.aggregateId(),
                    EventCodec.encode(CommandEnvelope.of(commandId, actor, fingerprint, command)));
            Timer.Sample sample = Timer.start(meters);
            return Mono.fromCallable(() -> publish(record))
                    .subscribeOn(Schedulers.boundedElastic())
                    .then(waiter.sink().asMono())
                    .timeout(timeout)
                    .doOnSuccess(result -> stopTimer(sample, command, result.ok() ? "ok" : "rejected"))
                    .doOnError(error -> stopTimer(sample, command, "unavailable"))
                    .onErrorMap(this::unavailable)
                    .doFinally(signal -> pending.remove(commandId, waiter));
        });
    }

    /** Send → the ledger's result, by command type (a closed set) and outcome. */
    private void stopTimer(Timer.Sample sample, Command command, String outcome) {
        sample.stop(Timer.builder(ROUND_TRIP)
                .description("Time from sending a command to reading the ledger's result for it")
                .tags("command", command.getClass().getSimpleName(), "outcome", outcome)
                .publishPercentileHistogram()
                .register(meters));
    }

    private boolean publish(ProducerRecord<String, byte[]> record) throws InterruptedException {
        // Only send once the follower reads from the end; before that a fast result could slip by.
        if (!follower.awaitPositioned(timeout)) {
            throw new IllegalStateException("changes topic not readable yet");
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                log.warn("command {} not sent: {}", record.key(), error.toString());
            }
        });
        return true;
    }

    private Throwable unavailable(Throwable error) {
        if (error instanceof ApiException) {
            return error;
        }
        if (!(error instanceof TimeoutException)) {
            log.warn("command failed before the ledger answered: {}", error.toString());
        }
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable", UNAVAILABLE_MESSAGE);
    }

    /**
     * Hands every change this instance reads to {@code listener} from now on (on the follower's thread: keep it
     * short), and tells it each time the follower starts reading from the end, this time included if it already
     * does (so it may be told twice: a listener's reload must be harmless to repeat).
     */
    public void listen(ChangeListener listener) {
        listeners.add(listener);
        if (follower.isPositioned()) {
            listener.onFollowing();
        }
    }

    private void onChange(Change change) {
        if (change instanceof Change.CommandResult result && result.commandId() != null) {
            Waiter waiter = pending.get(result.commandId());
            if (waiter != null) {
                waiter.sink().tryEmitValue(result);
            }
            return;
        }
        for (ChangeListener listener : listeners) {
            try {
                listener.onChange(change);
            } catch (RuntimeException e) {
                log.warn("a change listener failed on {}: {}", change.entityKey(), e.toString());
            }
        }
    }

    private void onPositioned() {
        listeners.forEach(ChangeListener::onFollowing);
    }

    /** True while the changes topic is followed (for health). */
    public boolean isFollowingChanges() {
        return follower.isPositioned();
    }

    ChangesFollower.Status followerStatus() {
        return follower.status();
    }

    @Override
    public void destroy() {
        follower.close();
        producer.close(Duration.ofSeconds(2));
    }
}
