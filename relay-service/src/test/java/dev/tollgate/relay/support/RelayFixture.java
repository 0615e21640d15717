package dev.tollgate.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.CommandEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What a relay integration test stands on: a database of its own with the ledger's schema, topics under a prefix
 * of its own on the test broker, a spool directory, seeding helpers, and a reader of the usage topic.
 */
public final class RelayFixture implements AutoCloseable {

    public static final String MASTER_KEY = "relay-it-master-key-0123456789abcdef";

    private final TestDatabase db = TestDatabase.create();
    private final String prefix = TestKafka.uniquePrefix();
    private final Topics topics = new Topics(prefix);
    private final Path spoolDir;
    private final SecretBox box = SecretBox.fromMasterKey(MASTER_KEY);
    private final KafkaConsumer<String, byte[]> usageConsumer;
    private final List<UsageEvent> usage = new CopyOnWriteArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> usageRecords = new CopyOnWriteArrayList<>();

    public RelayFixture() {
        try {
            spoolDir = Files.createTempDirectory("relay-it-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + migrations())
                .load()
                .migrate();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.changes(), 3, (short) 1),
                    new NewTopic(topics.usage(), 3, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create the test topics", e);
        }
        usageConsumer = usageConsumer();
    }

    /** The relay's settings for this fixture. */
    public void register(DynamicPropertyRegistry registry, String relayId) {
        registry.add("spring.r2dbc.url", db::r2dbcUrl);
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", db::password);
        registry.add("tollgate.relay.kafka-bootstrap", TestKafka::bootstrapServers);
        registry.add("tollgate.relay.topic-prefix", () -> prefix);
        registry.add("tollgate.relay.master-key", () -> MASTER_KEY);
        registry.add("tollgate.relay.id", () -> relayId);
        registry.add("tollgate.relay.spool.dir", spoolDir::toString);
    }

    public TestDatabase db() {
        return db;
    }

    public Topics topics() {
        return topics;
    }

    public Connection connect() throws Exception {
        return db.connect();
    }

    // ---- seeding ----

    public long insertUser(String name, long balanceMicros) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO users (username,"
                + " password_hash, role, group_name, balance_micros) VALUES (?, 'x', 'customer', 'default', ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, name);
            st.setLong(2, balanceMicros);
            st.executeUpdate();
            return generatedId(st);
        }
    }

    public long insertKey(long userId, String key) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO api_keys (user_id, name,"
                + " key_hash, prefix) VALUES (?, 'k', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            st.setLong(1, userId);
            st.setString(2, CustomerKeys.hash(key));
            st.setString(3, CustomerKeys.displayPrefix(key));
            st.executeUpdate();
            return generatedId(st);
        }
    }

    /** A channel in the default group at priority 0, weight 1; {@code config} may be null. */
    public long insertChannel(String name, String provider, String baseUrl, String apiKey, List<String> models,
            Map<String, String> mapping, Map<String, Object> config) throws Exception {
        return insertChannel(name, provider, baseUrl, apiKey, models, mapping, config, 0, 1);
    }

    /** A channel in the default group; {@code config} may be null. */
    public long insertChannel(String name, String provider, String baseUrl, String apiKey, List<String> models,
            Map<String, String> mapping, Map<String, Object> config, int priority, int weight) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO channels (name, provider,"
                + " base_url, api_key_enc, config, models, model_mapping, groups_json, priority, weight)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, '[\"default\"]', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, name);
            st.setString(2, provider);
            st.setString(3, baseUrl);
            st.setString(4, apiKey == null ? null : box.encrypt(apiKey));
            st.setString(5, config == null ? null : Json.mapper().writeValueAsString(config));
            st.setString(6, Json.mapper().writeValueAsString(models));
            st.setString(7, Json.mapper().writeValueAsString(mapping));
            st.setInt(8, priority);
            st.setInt(9, weight);
            st.executeUpdate();
            return generatedId(st);
        }
    }

    public void insertPrice(String model, long inputMicrosPerMTok, long outputMicrosPerMTok) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO prices (model, version,"
                + " input_micros_per_mtok, output_micros_per_mtok) VALUES (?, 1, ?, ?)")) {
            st.setString(1, model);
            st.setLong(2, inputMicrosPerMTok);
            st.setLong(3, outputMicrosPerMTok);
            st.executeUpdate();
        }
    }

    /** A price row with every class of {@code price}: tokens, per request, per image, per audio second, reasoning. */
    public void insertPrice(String model, Price price) throws Exception {
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("INSERT INTO prices (model, version,"
                + " input_micros_per_mtok, output_micros_per_mtok, cached_input_micros_per_mtok,"
                + " cache_write_micros_per_mtok, per_request_micros, per_image_micros, per_audio_second_micros,"
                + " reasoning_micros_per_mtok) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, model);
            st.setLong(2, price.inputMicrosPerMTok());
            st.setLong(3, price.outputMicrosPerMTok());
            st.setLong(4, price.cachedInputMicrosPerMTok());
            st.setLong(5, price.cacheWriteMicrosPerMTok());
            st.setLong(6, price.perRequestMicros());
            st.setLong(7, price.perImageMicros());
            st.setLong(8, price.perAudioSecondMicros());
            st.setLong(9, price.reasoningMicrosPerMTok());
            st.executeUpdate();
        }
    }

    /** Creates the commands topic, for tests that read what the relay asks of the ledger (one partition). */
    public void createCommandsTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.commands(), 1, (short) 1))).all().get();
        }
    }

    private static long generatedId(PreparedStatement st) throws Exception {
        try (ResultSet keys = st.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    // ---- the running relay ----

    /** Waits up to 60 s for the relay to report itself ready (a slow first call on a loaded machine is retried). */
    public static void awaitReady(WebTestClient client) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    /** A file part for a multipart form: the bytes under {@code filename}. */
    public static ByteArrayResource file(String filename, byte[] bytes) {
        return new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        };
    }

    // ---- the usage topic ----

    /** The usage event of the request that answered {@code result}, found by its {@code x-request-id}. */
    public UsageEvent usageOf(EntityExchangeResult<?> result) {
        return usageOf(result.getResponseHeaders().getFirst("x-request-id"));
    }

    /** The usage event of the request {@code requestId}, within 15 s. */
    public UsageEvent usageOf(String requestId) {
        return awaitUsage(e -> e.requestId().equals(requestId));
    }


    /** The first usage event published so far (or within 15 s) that matches. */
    public UsageEvent awaitUsage(Predicate<UsageEvent> match) {
        List<UsageEvent> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            pollUsage();
            found.clear();
            usage.stream().filter(match).forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every usage event published so far that matches, after waiting up to 15 s for at least {@code count}. */
    public List<UsageEvent> awaitUsage(Predicate<UsageEvent> match, int count) {
        List<UsageEvent> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            pollUsage();
            found.clear();
            usage.stream().filter(match).forEach(found::add);
            return found.size() >= count;
        });
        return found;
    }

    /** The usage topic's record (headers included) of the first event that matches, within 15 s. */
    public ConsumerRecord<String, byte[]> awaitUsageRecord(Predicate<UsageEvent> match) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            pollUsage();
            found.clear();
            usageRecords.stream().filter(r -> match.test(EventCodec.decodeUsage(r.value()))).forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** The first auto-disable command for {@code channelId} on the commands topic, within 15 s. */
    public Command.AutoDisableChannel awaitDisableCommand(long channelId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topics.commands(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<Command.AutoDisableChannel> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    CommandEnvelope envelope = EventCodec.decodeCommand(r.value());
                    if (envelope.payload() instanceof Command.AutoDisableChannel disable
                            && disable.channelId() == channelId) {
                        found.add(disable);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private synchronized void pollUsage() {
        for (ConsumerRecord<String, byte[]> r : usageConsumer.poll(Duration.ofMillis(100))) {
            usage.add(EventCodec.decodeUsage(r.value()));
            usageRecords.add(r);
        }
    }

    private KafkaConsumer<String, byte[]> usageConsumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties());
        TestKafka.assignAll(consumer, topics.usage(), 3);
        return consumer;
    }

    private static Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static Path migrations() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("ledger-service"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a folder above the working directory holding ledger-service").isNotNull();
        return dir.resolve("ledger-service/src/main/resources/db/migration");
    }

    @Override
    public void close() {
        usageConsumer.close();
        db.close();
    }
}
