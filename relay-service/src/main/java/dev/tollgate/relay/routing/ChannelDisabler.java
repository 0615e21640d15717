package dev.tollgate.relay.routing;

import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.relay.kafka.KafkaClientProperties;
import dev.tollgate.relay.snapshot.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the ledger to switch a channel off everywhere when an attempt's outcome says it will not heal by itself
 * (the upstream refused its credentials or its account): an {@link Command.AutoDisableChannel} on the commands
 * topic, keyed {@code channel:<id>} like the admin's channel commands. At most once per channel version per
 * relay (the ledger's own change raises the version, so a channel re-enabled by its probe can be reported
 * again); a send that fails clears the mark, so a later attempt reports again. Never blocks the caller: the
 * send runs on one background thread behind a small queue, and errors are only logged.
 */
public final class ChannelDisabler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelDisabler.class);
    private static final int QUEUE = 256;

    private final Supplier<Producer<String, byte[]>> producers;
    private final String commandsTopic;
    private final String relayId;
    private final Executor executor;
    /** Channel id → the highest version reported (or being reported) by this relay. */
    private final Map<Long, Long> reported = new ConcurrentHashMap<>();
    private volatile Producer<String, byte[]> producer;

    /** @param executor runs each send; tests pass {@code Runnable::run} */
    ChannelDisabler(Supplier<Producer<String, byte[]>> producers, String commandsTopic, String relayId,
            Executor executor) {
        this.producers = producers;
        this.commandsTopic = commandsTopic;
        this.relayId = relayId;
        this.executor = executor;
    }

    /** The relay's disabler: a producer made on first use, sends on a daemon thread of its own. */
    public static ChannelDisabler kafka(String bootstrap, String kafkaAuth, String commandsTopic, String relayId) {
        ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    Thread t = new Thread(runnable, "channel-disabler");
                    t.setDaemon(true);
                    return t;
                });
        return new ChannelDisabler(producer(bootstrap, kafkaAuth, relayId), commandsTopic, relayId, executor);
    }

    /** Reports the channel when the outcome disables it; otherwise does nothing. Never throws, never blocks. */
    public void report(Channel channel, AttemptOutcome outcome) {
        if (channel == null || outcome == null || !outcome.kind().disablesChannel()) {
            return;
        }
        long id = channel.id();
        long version = channel.version();
        if (!claim(id, version)) {
            return;
        }
        Command.AutoDisableChannel command = new Command.AutoDisableChannel(id, version, reason(outcome), relayId);
        try {
            executor.execute(() -> send(command));
        } catch (RejectedExecutionException e) {
            reported.remove(id, version);
            log.warn("Channel {} not reported for disabling: the report queue is full", id);
        }
    }

    /** Whether this relay has reported (or is reporting) this channel at this version or later. */
    boolean reported(long channelId, long version) {
        Long seen = reported.get(channelId);
        return seen != null && seen >= version;
    }

    private boolean claim(long id, long version) {
        boolean[] fresh = {false};
        reported.compute(id, (key, seen) -> {
            if (seen == null || seen < version) {
                fresh[0] = true;
                return version;
            }
            return seen;
        });
        return fresh[0];
    }

    /** The kind and the status only: an upstream's message may quote the key. */
    static String reason(AttemptOutcome outcome) {
        return outcome.status() > 0 ? outcome.wireName() + ": " + outcome.status() : outcome.wireName();
    }

    /** One command id per relay, channel and version: a resend after a crash is applied once. */
    static String commandId(String relayId, long channelId, long version) {
        return "auto-disable:" + relayId + ":" + channelId + ":" + version;
    }

    private void send(Command.AutoDisableChannel command) {
        long id = command.channelId();
        long version = command.channelVersion();
        try {
            CommandEnvelope envelope = CommandEnvelope.of(commandId(relayId, id, version), "relay:" + relayId,
                    command);
            producer().send(new ProducerRecord<>(commandsTopic, command.aggregateId(), EventCodec.encode(envelope)),
                    (metadata, error) -> {
                        if (error != null) {
                            reported.remove(id, version);
                            log.warn("Channel {} (version {}) not reported for disabling: {}", id, version,
                                    error.toString());
                        } else {
                            log.info("Channel {} (version {}) reported for disabling: {}", id, version,
                                    command.reason());
                        }
                    });
        } catch (RuntimeException e) {
            reported.remove(id, version);
            log.warn("Channel {} (version {}) not reported for disabling: {}", id, version, e.toString());
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    p = producers.get();
                    producer = p;
                }
            }
        }
        return p;
    }

    /** Idempotent, acks=all, quick to give up (the mark is cleared, a later attempt reports again). */
    static Supplier<Producer<String, byte[]>> producer(String bootstrap, String kafkaAuth, String relayId) {
        Properties props = KafkaClientProperties.reliableProducer(bootstrap, kafkaAuth,
                "tollgate-relay-commands-" + relayId, 0);
        return () -> new KafkaProducer<>(props);
    }

    @Override
    public void close() {
        if (executor instanceof ExecutorService service) {
            service.shutdown();
            try {
                service.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Producer<String, byte[]> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(2));
        }
    }
}
