package dev.tollgate.ledger.channels;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.upstream.ProbeResult;
import dev.tollgate.contracts.upstream.UpstreamProbe;
import dev.tollgate.ledger.commands.ChannelCommands;
import dev.tollgate.ledger.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Switches auto-disabled channels back on once their upstream answers again. Every
 * {@code tollgate.ledger.probe.interval}, under {@code GET_LOCK('tollgate_channel_probe', 0)} (one ledger per
 * round; the others skip), each auto-disabled, not deleted channel gets the cheapest call that proves its key
 * and account: one output token of its {@code config.testModel}, else of its first model (under the upstream's
 * name). On a 2xx the channel is enabled, version + 1, and the change goes out through the outbox, all in one
 * transaction and only if nobody changed the channel since it was read. Channels an admin disabled are never
 * probed. A failure is logged and the next round tries again.
 */
@Component
@ConditionalOnProperty(name = "tollgate.ledger.probe.enabled", havingValue = "true", matchIfMissing = true)
class ChannelProbeJob {

    static final String LOCK = "tollgate_channel_probe";
    private static final Logger log = LoggerFactory.getLogger(ChannelProbeJob.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ChannelCommands channels;
    private final OutboxWriter outbox;
    private final UpstreamProbe probe;
    private final ChannelKeys keys;
    private final AtomicLong rounds = new AtomicLong();
    /** Channels already warned about (unsupported provider, undecryptable key): one warning each, not one a round. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    ChannelProbeJob(JdbcTemplate jdbc, TransactionTemplate tx, ChannelCommands channels, OutboxWriter outbox,
            UpstreamProbe probe, ChannelKeys keys) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.channels = channels;
        this.outbox = outbox;
        this.probe = probe;
        this.keys = keys;
    }

    @Scheduled(initialDelayString = "${tollgate.ledger.probe.interval:60s}",
            fixedDelayString = "${tollgate.ledger.probe.interval:60s}")
    void run() {
        try {
            Boolean ran = jdbc.execute((ConnectionCallback<Boolean>) this::roundUnderLock);
            if (Boolean.TRUE.equals(ran)) {
                rounds.incrementAndGet();
            }
        } catch (RuntimeException e) {
            log.error("Channel probe round failed: {}", e.toString());
        }
    }

    /** Rounds this ledger has completed (for tests and health). */
    long rounds() {
        return rounds.get();
    }

    private boolean roundUnderLock(Connection con) throws SQLException {
        if (!lock(con)) {
            log.debug("Channel probe round skipped: another ledger holds {}", LOCK);
            return false;
        }
        try {
            List<Change.ChannelChanged> candidates = channels.autoDisabled();
            for (Change.ChannelChanged channel : candidates) {
                probeOne(channel);
            }
            return true;
        } finally {
            release(con);
        }
    }

    private void probeOne(Change.ChannelChanged channel) {
        String apiKey;
        try {
            apiKey = keys.decrypt(channel.apiKeyCiphertext());
        } catch (IllegalStateException e) {
            warnOnce(channel, "key", "Channel {} ({}) cannot be probed: {}; it stays off until an admin enables it",
                    e.getMessage());
            return;
        }
        String model = testModel(channel);
        ProbeResult result = probe.probe(channel.provider(), channel.baseUrl(), apiKey, channel.config(), model);
        if (!result.supported()) {
            warnOnce(channel, "provider", "Channel {} ({}) cannot be probed: {}; it stays off until an admin "
                    + "enables it", result.message());
            return;
        }
        if (!result.ok()) {
            log.info("Channel {} ({}) still failing its probe: {} {}", channel.id(), channel.name(), result.verdict(),
                    result.message());
            return;
        }
        Optional<Change.ChannelChanged> enabled = tx.execute(status -> {
            Optional<Change.ChannelChanged> after = channels.reenable(channel.id(), channel.version());
            after.ifPresent(outbox::change);
            return after;
        });
        if (enabled != null && enabled.isPresent()) {
            log.info("Channel {} ({}) answers again ({} in {} ms): re-enabled at version {}", channel.id(),
                    channel.name(), result.status(), result.latencyMs(), enabled.get().version());
        } else {
            log.info("Channel {} ({}) answered its probe but changed meanwhile: left as it is", channel.id(),
                    channel.name());
        }
    }

    /** {@code config.testModel} if set, else the channel's first model, under the upstream's name. */
    static String testModel(Change.ChannelChanged channel) {
        Object configured = channel.config().get("testModel");
        if (configured != null && !configured.toString().isBlank()) {
            return configured.toString();
        }
        if (channel.models().isEmpty()) {
            return null;
        }
        String asked = channel.models().get(0);
        return channel.modelMapping().getOrDefault(asked, asked);
    }

    private void warnOnce(Change.ChannelChanged channel, String what, String format, String detail) {
        if (warned.add(channel.id() + ":" + channel.version() + ":" + what)) {
            log.warn(format, channel.id(), channel.name(), detail);
        }
    }

    private static boolean lock(Connection con) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            ps.setString(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    private static void release(Connection con) {
        try (PreparedStatement ps = con.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, LOCK);
            ps.executeQuery().close();
        } catch (SQLException e) {
            log.warn("Could not release {}: {} (released when the connection closes)", LOCK, e.getMessage());
        }
    }
}
