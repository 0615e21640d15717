package dev.tollgate.admin;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the ledger's Kafka side for admin tests: creates the topics, records every command admin
 * sends, applies it to the test database with plain JDBC and answers with a {@code CommandResult}.
 * A repeated command id gets the stored result again when its type and fingerprint are the first one's,
 * and a rejection {@code idempotency_key_reused} (not stored) when they are not, as the real ledger does.
 */
final class LedgerStandIn implements AutoCloseable {

    private static final int PARTITIONS = 3;

    private final Topics topics;
    private final TestDatabase db;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final List<CommandEnvelope> received = new CopyOnWriteArrayList<>();
    private final Map<String, Processed> processed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean answering;
    private volatile Duration commitLag = Duration.ZERO;
    private volatile boolean running = true;
    /** Changes (other than the result) the command being applied announces; only the stand-in's thread uses it. */
    private final List<Change> announced = new ArrayList<>();

    /** A command id applied, with the type and fingerprint it came with. */
    private record Processed(String type, String fingerprint, Change.CommandResult result) {
        boolean sameRequestAs(CommandEnvelope envelope) {
            return Objects.equals(type, envelope.type()) && Objects.equals(fingerprint, envelope.fingerprint());
        }
    }

    private LedgerStandIn(String bootstrap, Topics topics, TestDatabase db) throws Exception {
        this.topics = topics;
        this.db = db;
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.commands(), PARTITIONS, (short) 1),
                    new NewTopic(topics.changes(), PARTITIONS, (short) 1))).all().get();
        }
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName(),
                "enable.auto.commit", "false"));
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topics.commands(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName(),
                "acks", "all"));
        this.thread = new Thread(this::run, "ledger-stand-in");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static LedgerStandIn start(String bootstrap, Topics topics, TestDatabase db) {
        try {
            return new LedgerStandIn(bootstrap, topics, db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether commands get an answer; a silent stand-in is a ledger that cannot be reached. */
    void answering(boolean on) {
        this.answering = on;
    }

    /**
     * Answers before the change is visible to other connections, and commits it this much later: what a
     * reader on a lagging replica sees. Zero (the default) commits before answering.
     */
    void commitLag(Duration lag) {
        this.commitLag = lag;
    }

    List<CommandEnvelope> received() {
        return List.copyOf(received);
    }

    List<CommandEnvelope> receivedWithId(String id) {
        return received.stream().filter(c -> id.equals(c.id())).toList();
    }

    <T extends Command> List<T> receivedOfType(Class<T> type) {
        return received.stream().map(CommandEnvelope::payload).filter(type::isInstance).map(type::cast).toList();
    }

    List<CommandEnvelope> receivedEnvelopesOfType(Class<? extends Command> type) {
        return received.stream().filter(c -> type.isInstance(c.payload())).toList();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    CommandEnvelope envelope = EventCodec.decodeCommand(record.value());
                    received.add(envelope);
                    if (answering) {
                        announced.clear();
                        Change.CommandResult result = answer(envelope);
                        for (Change change : announced) {
                            producer.send(new ProducerRecord<>(topics.changes(), change.entityKey(),
                                    EventCodec.encode(ChangeEnvelope.of(change))));
                        }
                        producer.send(new ProducerRecord<>(topics.changes(), result.entityKey(),
                                EventCodec.encode(ChangeEnvelope.of(result))));
                        producer.flush();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private Change.CommandResult answer(CommandEnvelope envelope) {
        Processed done = processed.get(envelope.id());
        if (done == null) {
            Change.CommandResult result = apply(envelope);
            processed.put(envelope.id(), new Processed(envelope.type(), envelope.fingerprint(), result));
            return result;
        }
        if (!done.sameRequestAs(envelope)) {
            return Change.CommandResult.rejected(envelope.id(), "idempotency_key_reused",
                    "command id already used for a different request");
        }
        return done.result();
    }

    private Change.CommandResult apply(CommandEnvelope envelope) {
        Duration lag = commitLag;
        Connection c = null;
        try {
            c = db.connect();
            c.setAutoCommit(lag.isZero());
            Change.CommandResult result = apply(c, envelope.id(), envelope.payload());
            if (lag.isZero()) {
                c.close();
            } else {
                Connection held = c;
                committer.schedule(() -> commitAndClose(held), lag.toMillis(), TimeUnit.MILLISECONDS);
            }
            return result;
        } catch (SQLException e) {
            closeQuietly(c);
            return Change.CommandResult.rejected(envelope.id(), "invalid", e.getMessage());
        }
    }

    private static void commitAndClose(Connection c) {
        try (c) {
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("stand-in commit failed", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing left to do with it
            }
        }
    }

    private Change.CommandResult apply(Connection c, String id, Command command) throws SQLException {
        if (command instanceof Command.CreateUser u) {
            if (exists(c, "SELECT 1 FROM users WHERE username = ?", u.username())) {
                return Change.CommandResult.rejected(id, "conflict", "username taken");
            }
            long userId = insert(c, "INSERT INTO users (username, password_hash, role, group_name, enabled) "
                    + "VALUES (?, ?, ?, ?, ?)", u.username(), u.passwordHash(), u.role(), u.group(), u.enabled());
            return Change.CommandResult.ok(id, "user", Long.toString(userId), 1);
        }
        if (command instanceof Command.UpdateUser u) {
            int n = update(c, "UPDATE users SET group_name = COALESCE(?, group_name), enabled = COALESCE(?, enabled), "
                    + "password_hash = COALESCE(?, password_hash), version = version + 1 WHERE id = ?",
                    u.group(), u.enabled(), u.passwordHash(), u.userId());
            if (n > 0 && u.sessionsValidAfter() != null) {
                endSessionsBefore(c, u.userId(), u.sessionsValidAfter());
            }
            return n == 0 ? Change.CommandResult.rejected(id, "not_found", "no such user")
                    : Change.CommandResult.ok(id, "user", Long.toString(u.userId()),
                            version(c, "users", u.userId()));
        }
        if (command instanceof Command.TopUp t) {
            long balance;
            try (PreparedStatement ps = c.prepareStatement("SELECT balance_micros FROM users WHERE id = ?")) {
                ps.setLong(1, t.userId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Change.CommandResult.rejected(id, "not_found", "no such user");
                    }
                    balance = rs.getLong(1) + t.amountMicros();
                }
            }
            // The ledger keeps the whole command id as the ref.
            long entry = insert(c, "INSERT INTO journal (user_id, kind, amount_micros, balance_after, ref, note) "
                    + "VALUES (?, 'topup', ?, ?, ?, ?)", t.userId(), t.amountMicros(), balance, id, t.note());
            update(c, "UPDATE users SET balance_micros = ?, balance_version = balance_version + 1 WHERE id = ?",
                    balance, t.userId());
            return Change.CommandResult.ok(id, "journal", Long.toString(entry), 1);
        }
        if (command instanceof Command.CreateKey k) {
            if (k.group() != null && !exists(c, "SELECT 1 FROM user_groups WHERE name = ?", k.group())) {
                return Change.CommandResult.rejected(id, "invalid", "no such group: " + k.group());
            }
            long keyId = insert(c, "INSERT INTO api_keys (user_id, name, key_hash, prefix, group_name, quota_micros, "
                    + "models, allowed_cidrs, expires_at, enabled, capture_bodies) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    k.userId(), k.name(), k.keyHash(), k.prefix(), k.group(), k.quotaMicros(), json(k.models()),
                    json(k.allowedCidrs()), k.expiresAt() == null ? null
                            : Timestamp.valueOf(LocalDateTime.ofInstant(k.expiresAt(), ZoneOffset.UTC)),
                    k.enabled(), Boolean.TRUE.equals(k.captureBodies()));
            return Change.CommandResult.ok(id, "key", Long.toString(keyId), 1);
        }
        if (command instanceof Command.UpdateKey k) {
            if (k.group() != null && !exists(c, "SELECT 1 FROM user_groups WHERE name = ?", k.group())) {
                return Change.CommandResult.rejected(id, "invalid", "no such group: " + k.group());
            }
            int n = update(c, "UPDATE api_keys SET name = COALESCE(?, name), enabled = COALESCE(?, enabled), "
                    + "deleted = COALESCE(?, deleted), quota_micros = IF(?, NULL, COALESCE(?, quota_micros)), "
                    + "group_name = COALESCE(?, group_name), capture_bodies = COALESCE(?, capture_bodies), "
                    + "version = version + 1 WHERE id = ?", k.name(), k.enabled(), k.deleted(),
                    Boolean.TRUE.equals(k.clearQuota()), k.quotaMicros(), k.group(), k.captureBodies(), k.keyId());
            return n == 0 ? Change.CommandResult.rejected(id, "not_found", "no such key")
                    : Change.CommandResult.ok(id, "key", Long.toString(k.keyId()), version(c, "api_keys", k.keyId()));
        }
        if (command instanceof Command.ReencryptSecrets r) {
            // The real re-encryption is the ledger's (MasterKeyRotationLedgerIT); here every secret is current.
            return Change.CommandResult.ok(id, "secrets", "0", 0);
        }
        if (command instanceof Command.SetTotp t) {
            int n = update(c, "UPDATE users SET totp_last_step = CASE WHEN ? IS NOT NULL "
                    + "AND NOT (totp_secret_enc <=> ?) THEN NULL ELSE totp_last_step END, "
                    + "totp_secret_enc = ?, totp_enabled = ? WHERE id = ?",
                    t.secretCiphertext(), t.secretCiphertext(), t.secretCiphertext(), t.enabled(), t.userId());
            if (n > 0 && t.sessionsValidAfter() != null) {
                endSessionsBefore(c, t.userId(), t.sessionsValidAfter());
            }
            return n == 0 ? Change.CommandResult.rejected(id, "not_found", "no such user")
                    : Change.CommandResult.ok(id, "user", Long.toString(t.userId()), version(c, "users", t.userId()));
        }
        if (command instanceof Command.UseTotpStep t) {
            // As the ledger: one conditional UPDATE takes the step, so a code is used once.
            if (update(c, "UPDATE users SET totp_last_step = ? WHERE id = ? "
                    + "AND (totp_last_step IS NULL OR totp_last_step < ?)", t.step(), t.userId(), t.step()) == 1) {
                return Change.CommandResult.ok(id, "user", Long.toString(t.userId()), 0);
            }
            return Change.CommandResult.rejected(id, "conflict", "this code was already used");
        }
        if (command instanceof Command.RevokeSession r) {
            if (!exists(c, "SELECT 1 FROM users WHERE id = ?", r.userId())) {
                return Change.CommandResult.rejected(id, "not_found", "no such user");
            }
            update(c, "INSERT INTO revoked_sessions (session_id, user_id, expires_at) VALUES (?, ?, ?) "
                    + "ON DUPLICATE KEY UPDATE session_id = session_id", r.sessionId(), r.userId(), utc(r.expiresAt()));
            announced.add(new Change.SessionsRevoked(r.userId(), r.sessionId(), r.expiresAt(), null));
            return Change.CommandResult.ok(id, "user", Long.toString(r.userId()), 0);
        }
        if (command instanceof Command.RevokeSessions r) {
            if (!exists(c, "SELECT 1 FROM users WHERE id = ?", r.userId())) {
                return Change.CommandResult.rejected(id, "not_found", "no such user");
            }
            endSessionsBefore(c, r.userId(), r.validAfter());
            return Change.CommandResult.ok(id, "user", Long.toString(r.userId()), 0);
        }
        if (command instanceof Command.RotateKey k) {
            if (!exists(c, "SELECT 1 FROM api_keys WHERE id = ? AND deleted = FALSE", k.keyId())) {
                return Change.CommandResult.rejected(id, "not_found", "no such key");
            }
            if (exists(c, "SELECT 1 FROM api_keys WHERE id = ? AND rotated_to IS NOT NULL", k.keyId())) {
                return Change.CommandResult.rejected(id, "conflict", "already rotated");
            }
            long newId = insert(c, "INSERT INTO api_keys (user_id, name, key_hash, prefix, group_name, quota_micros, "
                    + "used_micros, models, allowed_cidrs, expires_at, enabled, capture_bodies, rotated_from) "
                    + "SELECT user_id, name, ?, ?, group_name, quota_micros, used_micros, models, allowed_cidrs, "
                    + "expires_at, enabled, capture_bodies, id FROM api_keys WHERE id = ?",
                    k.keyHash(), k.prefix(), k.keyId());
            Timestamp graceEnd = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).plusSeconds(k.graceSeconds()));
            update(c, "UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, ?), ?), rotated_to = ?, "
                    + "version = version + 1 WHERE id = ?", graceEnd, graceEnd, newId, k.keyId());
            return Change.CommandResult.ok(id, "key", Long.toString(newId), 1);
        }
        if (command instanceof Command.CreateChannel ch) {
            if (exists(c, "SELECT 1 FROM channels WHERE name = ?", ch.name())) {
                return Change.CommandResult.rejected(id, "conflict", "channel name taken");
            }
            long channelId = insert(c, "INSERT INTO channels (name, provider, base_url, api_key_enc, config, models, "
                    + "model_mapping, groups_json, priority, weight, enabled, tags) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ch.name(), ch.provider(), ch.baseUrl(), ch.apiKeyCiphertext(), json(ch.config()),
                    json(ch.models()), json(ch.modelMapping()), json(ch.groups()), ch.priority(), ch.weight(),
                    ch.enabled(), json(ch.tags() == null ? List.of() : ch.tags()));
            return Change.CommandResult.ok(id, "channel", Long.toString(channelId), 1);
        }
        if (command instanceof Command.UpdateChannel ch) {
            int n = update(c, "UPDATE channels SET name = COALESCE(?, name), enabled = COALESCE(?, enabled), "
                    + "priority = COALESCE(?, priority), deleted = COALESCE(?, deleted), tags = COALESCE(?, tags), "
                    + "version = version + 1 WHERE id = ?",
                    ch.name(), ch.enabled(), ch.priority(), ch.deleted(), ch.tags() == null ? null : json(ch.tags()),
                    ch.channelId());
            return n == 0 ? Change.CommandResult.rejected(id, "not_found", "no such channel")
                    : Change.CommandResult.ok(id, "channel", Long.toString(ch.channelId()),
                            version(c, "channels", ch.channelId()));
        }
        if (command instanceof Command.SetPrice p) {
            long version = 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM prices WHERE model = ?")) {
                ps.setString(1, p.model());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getLong(1);
                }
            }
            update(c, "INSERT INTO prices (model, version, input_micros_per_mtok, output_micros_per_mtok, "
                    + "cached_input_micros_per_mtok, cache_write_micros_per_mtok, per_request_micros, per_image_micros, "
                    + "per_audio_second_micros, output_reserve_tokens, reasoning_micros_per_mtok) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p.model(), version, p.inputMicrosPerMTok(), p.outputMicrosPerMTok(), p.cachedInputMicrosPerMTok(),
                    p.cacheWriteMicrosPerMTok(), p.perRequestMicros(), p.perImageMicros(), p.perAudioSecondMicros(),
                    p.outputReserveTokens(), p.reasoningMicrosPerMTok());
            return Change.CommandResult.ok(id, "price", p.model(), version);
        }
        if (command instanceof Command.SetGroup g) {
            update(c, "INSERT INTO user_groups (name, multiplier_bp) VALUES (?, ?) "
                    + "ON DUPLICATE KEY UPDATE multiplier_bp = VALUES(multiplier_bp), version = version + 1",
                    g.name(), g.multiplierBp());
            return Change.CommandResult.ok(id, "group", g.name(), 1);
        }
        if (command instanceof Command.CreateRedemptionCodes r) {
            return createRedemptionCodes(c, id, r);
        }
        if (command instanceof Command.SetSettings s) {
            long version = 0;
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.values()).entrySet()) {
                update(c, "INSERT INTO settings (name, value, version) VALUES (?, ?, 1) "
                        + "ON DUPLICATE KEY UPDATE value = VALUES(value), version = version + 1", e.getKey(), e.getValue());
                try (PreparedStatement ps = c.prepareStatement("SELECT version FROM settings WHERE name = ?")) {
                    ps.setString(1, e.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        version = Math.max(version, rs.getLong(1));
                    }
                }
            }
            return Change.CommandResult.ok(id, "settings", "settings", version);
        }
        if (command instanceof Command.RedeemCode r) {
            return redeemCode(c, id, r);
        }
        return Change.CommandResult.rejected(id, "unsupported", "stand-in does not apply " + command);
    }

    private static Change.CommandResult createRedemptionCodes(Connection c, String id, Command.CreateRedemptionCodes r)
            throws SQLException {
        if (exists(c, "SELECT 1 FROM redemption_codes WHERE batch_name = ?", r.batchName())) {
            return Change.CommandResult.rejected(id, "conflict", "batch name taken");
        }
        for (int i = 0; i < r.codeHashes().size(); i++) {
            update(c, "INSERT INTO redemption_codes (batch_name, code_hash, prefix, amount_micros, expires_at) "
                    + "VALUES (?, ?, ?, ?, ?)", r.batchName(), r.codeHashes().get(i), r.prefixes().get(i),
                    r.amountMicros(), r.expiresAt() == null ? null
                            : Timestamp.valueOf(LocalDateTime.ofInstant(r.expiresAt(), ZoneOffset.UTC)));
        }
        return Change.CommandResult.ok(id, "redemption_batch", r.batchName(), 1);
    }

    /** As the ledger: one conditional UPDATE claims the code, a read tells why when it claims nothing. */
    private static Change.CommandResult redeemCode(Connection c, String id, Command.RedeemCode r) throws SQLException {
        if (!exists(c, "SELECT 1 FROM users WHERE id = ?", r.userId())) {
            return Change.CommandResult.rejected(id, "not_found", "no such user: " + r.userId());
        }
        if (update(c, "UPDATE redemption_codes SET redeemed_by = ?, redeemed_at = UTC_TIMESTAMP(3), "
                + "version = version + 1 WHERE code_hash = ? AND redeemed_by IS NULL "
                + "AND (expires_at IS NULL OR expires_at > UTC_TIMESTAMP(3))", r.userId(), r.codeHash()) == 0) {
            if (!exists(c, "SELECT 1 FROM redemption_codes WHERE code_hash = ?", r.codeHash())) {
                return Change.CommandResult.rejected(id, "not_found", "unknown redemption code");
            }
            return exists(c, "SELECT 1 FROM redemption_codes WHERE code_hash = ? AND redeemed_by IS NOT NULL",
                    r.codeHash()) ? Change.CommandResult.rejected(id, "conflict", "code already redeemed")
                    : Change.CommandResult.rejected(id, "invalid", "code expired");
        }
        long amount;
        long codeId;
        String batch;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, amount_micros, batch_name FROM redemption_codes WHERE code_hash = ?")) {
            ps.setString(1, r.codeHash());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                codeId = rs.getLong(1);
                amount = rs.getLong(2);
                batch = rs.getString(3);
            }
        }
        update(c, "UPDATE users SET balance_micros = balance_micros + ?, balance_version = balance_version + 1 "
                + "WHERE id = ?", amount, r.userId());
        long entry = insert(c, "INSERT INTO journal (user_id, kind, amount_micros, balance_after, ref, note) "
                + "SELECT id, 'redemption', ?, balance_micros, ?, ? FROM users WHERE id = ?", amount,
                Long.toString(codeId), batch, r.userId());
        update(c, "UPDATE redemption_codes SET journal_id = ? WHERE id = ?", entry, codeId);
        return Change.CommandResult.ok(id, "journal", Long.toString(entry), 1);
    }

    /** Moves the user's "sessions valid after" forward and announces it, as the ledger does. */
    private void endSessionsBefore(Connection c, long userId, java.time.Instant before) throws SQLException {
        update(c, "UPDATE users SET sessions_valid_after = GREATEST(COALESCE(sessions_valid_after, ?), ?) "
                + "WHERE id = ?", utc(before), utc(before), userId);
        announced.add(new Change.SessionsRevoked(userId, null, null, before));
    }

    private static Timestamp utc(java.time.Instant at) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    /** The row's version as this connection sees it (its own uncommitted change included). */
    private static long version(Connection c, String table, long rowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, rowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String json(Object value) {
        return value == null ? null : Json.mapper().writeValueAsString(value);
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args);
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.RETURN_GENERATED_KEYS, args)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, Statement.NO_GENERATED_KEYS, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, int keys, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql, keys);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        return ps;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
        committer.shutdown();
    }
}
