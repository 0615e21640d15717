package dev.tollgate.relay.metering.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.RelayApplication;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.testsupport.TcpProxy;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Kafka outages against a broker of this test's own: the relay reaches it through a {@link TcpProxy} (the
 * broker advertises the proxy on its EXTERNAL listener), this test reads it directly on an INTERNAL listener,
 * so cutting the proxy is an outage for the relay only.
 */
class SpoolIT {

    private static final Logger log = LoggerFactory.getLogger(SpoolIT.class);
    private static final String MASTER_KEY = "spool-it-master-key-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final TestDatabase DB = TestDatabase.create();
    private static Simulator sim = Simulator.start(0);
    private static final int SIM_PORT = sim.port();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics TOPICS = new Topics(PREFIX);
    private static final String KEY_A = CustomerKeys.generate();
    private static final String KEY_B = CustomerKeys.generate();

    private static TcpProxy proxy;
    private static EmbeddedKafkaKraftBroker broker;
    private static String internalBootstrap;
    private static KafkaConsumer<String, byte[]> usageConsumer;
    private static final List<UsageEvent> usage = new CopyOnWriteArrayList<>();
    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        int relayPort = freePort();
        int internalPort = freePort();
        proxy = TcpProxy.start("127.0.0.1", relayPort);
        broker = new EmbeddedKafkaKraftBroker(1, 3);
        // The test kit binds EXTERNAL and CONTROLLER to sockets of its own; RELAY and INTERNAL get our ports.
        broker.brokerProperty("listeners", "EXTERNAL://localhost:0,RELAY://127.0.0.1:" + relayPort
                + ",INTERNAL://127.0.0.1:" + internalPort + ",CONTROLLER://localhost:0");
        broker.brokerProperty("advertised.listeners", "RELAY://127.0.0.1:" + proxy.port()
                + ",INTERNAL://127.0.0.1:" + internalPort);
        broker.brokerProperty("listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,RELAY:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        broker.brokerProperty("inter.broker.listener.name", "INTERNAL");
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.brokerProperty("offsets.topic.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.brokerProperty("share.coordinator.state.topic.replication.factor", "1");
        broker.brokerProperty("share.coordinator.state.topic.min.isr", "1");
        broker.afterPropertiesSet();
        internalBootstrap = "127.0.0.1:" + internalPort;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPICS.changes(), 3, (short) 1),
                    new NewTopic(TOPICS.usage(), 3, (short) 1))).all().get();
        }
        Flyway.configure()
                .dataSource(DB.jdbcUrl(), DB.user(), DB.password())
                .locations("filesystem:" + migrations())
                .load()
                .migrate();
        seed();
        usageConsumer = usageConsumer();
    }

    @AfterAll
    static void tearDown() {
        if (usageConsumer != null) {
            usageConsumer.close();
        }
        proxy.close();
        broker.destroy();
        sim.close();
        DB.close();
    }

    @AfterEach
    void closeRelays() {
        proxy.restore();
        relays.forEach(ConfigurableApplicationContext::close);
        restartSimulator();
    }

    /**
     * A relay context that closes disposes Reactor Netty's global event loops, which the in-JVM simulator
     * serves on: start it again, on the same port the channel names.
     */
    private static void restartSimulator() {
        sim.close();
        sim = Simulator.start(SIM_PORT);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path migrations() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("ledger-service"))) {
            dir = dir.getParent();
        }
        assertThat(dir).isNotNull();
        return dir.resolve("ledger-service/src/main/resources/db/migration");
    }

    private static void seed() throws Exception {
        try (Connection c = DB.connect()) {
            insertKey(c, insertUser(c, "spool-a"), KEY_A);
            insertKey(c, insertUser(c, "spool-b"), KEY_B);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO channels (name, provider, base_url, api_key_enc,"
                    + " models, model_mapping, groups_json, priority, weight) VALUES ('sim', 'openai', ?, ?,"
                    + " '[\"gpt-4o-mini\"]', '{}', '[\"default\"]', 0, 1)")) {
                st.setString(1, sim.baseUrl());
                st.setString(2, dev.tollgate.contracts.secrets.SecretBox.fromMasterKey(MASTER_KEY).encrypt("sk-x"));
                st.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO prices (model, version, input_micros_per_mtok, output_micros_per_mtok)"
                        + " VALUES ('gpt-4o-mini', 1, 150000, 600000)");
            }
        }
    }

    private static long insertUser(Connection c, String name) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO users (username, password_hash, role, group_name,"
                + " balance_micros) VALUES (?, 'x', 'customer', 'default', 100000000)", Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, name);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static void insertKey(Connection c, long userId, String key) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO api_keys (user_id, name, key_hash, prefix)"
                + " VALUES (?, 'k', ?, ?)")) {
            st.setLong(1, userId);
            st.setString(2, CustomerKeys.hash(key));
            st.setString(3, CustomerKeys.displayPrefix(key));
            st.executeUpdate();
        }
    }

    private static KafkaConsumer<String, byte[]> usageConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        TestKafka.assignAll(consumer, TOPICS.usage(), 3);
        return consumer;
    }

    /** Reads what arrived on the usage topic since the last call. */
    private static void pollUsage() {
        for (ConsumerRecord<String, byte[]> r : usageConsumer.poll(Duration.ofMillis(200))) {
            usage.add(EventCodec.decodeUsage(r.value()));
        }
    }

    private static List<UsageEvent> arrived(Set<String> requestIds) {
        return usage.stream().filter(e -> requestIds.contains(e.requestId())).toList();
    }

    private WebTestClient startRelay(Path spoolDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", "0");
        props.put("spring.r2dbc.url", DB.r2dbcUrl());
        props.put("spring.r2dbc.username", DB.user());
        props.put("spring.r2dbc.password", DB.password());
        props.put("tollgate.relay.kafka-bootstrap", "127.0.0.1:" + proxy.port());
        props.put("tollgate.relay.topic-prefix", PREFIX);
        props.put("tollgate.relay.master-key", MASTER_KEY);
        props.put("tollgate.relay.id", "spool-it");
        props.put("tollgate.relay.spool.dir", spoolDir.toString());
        // As arguments: they override application.yml (builder properties would only be defaults).
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RelayApplication.class).run(args);
        relays.add(context);
        String port = context.getEnvironment().getProperty("local.server.port");
        WebTestClient client = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        await().atMost(WAIT).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
        return client;
    }

    private static String chat(WebTestClient client, String key) {
        return client.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":20}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult()
                .getResponseHeaders().getFirst("x-request-id");
    }

    private static JsonNode usageHealth(WebTestClient client) {
        byte[] body = client.get().uri("/actuator/health").exchange().expectBody().returnResult().getResponseBody();
        return Json.mapper().readTree(body).path("components").path("usage").path("details");
    }

    private static double metric(WebTestClient client, String name) {
        byte[] body = client.get().uri("/actuator/metrics/" + name).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return Json.mapper().readTree(body).path("measurements").get(0).path("value").asDouble();
    }

    /** Per user, the first arrival of each event is in relaySeq order; returns how many arrivals were resends. */
    private static int assertOrderedPerUser(List<UsageEvent> events) {
        Map<Long, List<Long>> firstSeen = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        int duplicates = 0;
        for (UsageEvent e : events) {
            if (!seen.add(e.requestId())) {
                duplicates++;
                continue;
            }
            firstSeen.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e.relaySeq());
        }
        firstSeen.values().forEach(seqs -> assertThat(seqs).isSorted());
        return duplicates;
    }

    @Test
    void shouldServeAndSpoolWhileKafkaIsCutThenDeliverEveryEventInOrder() throws Exception {
        WebTestClient relay = startRelay(Files.createTempDirectory("spool-it-a"));
        Set<String> warmUp = Set.of(chat(relay, KEY_A));
        await().atMost(WAIT).until(() -> {
            pollUsage();
            return arrived(warmUp).size() == 1;
        });

        proxy.cut();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(chat(relay, i % 2 == 0 ? KEY_A : KEY_B));
        }

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode details = usageHealth(relay);
            assertThat(details.path("state").asString()).isEqualTo("spooling");
            assertThat(details.path("spooledEvents").asLong()).isEqualTo(20);
            // "spooling" shows as soon as events wait too long; the producer names its error a little later.
            assertThat(details.path("lastSendError").asString()).isNotBlank();
        });
        JsonNode spooling = usageHealth(relay);
        assertThat(spooling.path("spooledBytes").asLong()).isPositive();
        assertThat(spooling.path("oldestSpooledAgeMs").asLong()).isPositive();
        assertThat(metric(relay, "tollgate.relay.spool.events")).isEqualTo(20.0);
        assertThat(metric(relay, "tollgate.relay.spool.oldest.age")).isPositive();
        relay.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        pollUsage();
        assertThat(arrived(ids)).as("nothing reached Kafka during the cut").isEmpty();

        proxy.restore();

        await().atMost(WAIT).until(() -> {
            pollUsage();
            return arrived(ids).stream().map(UsageEvent::requestId).distinct().count() == 20;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode details = usageHealth(relay);
            assertThat(details.path("spooledEvents").asLong()).isZero();
            assertThat(details.path("state").asString()).isEqualTo("publishing");
        });
        int duplicates = assertOrderedPerUser(arrived(ids));
        log.info("Kafka cut: 20 events spooled, all delivered after restore, {} resent duplicates", duplicates);
        assertThat(metric(relay, "tollgate.relay.spool.bytes")).isZero();
    }

    @Test
    void shouldReplayLeftoverSpoolAfterRestartAndStartWhileKafkaIsDown() throws Exception {
        Path dir = Files.createTempDirectory("spool-it-b");
        WebTestClient first = startRelay(dir);
        proxy.cut();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(chat(first, KEY_A));
        }
        await().atMost(WAIT).until(() -> usageHealth(first).path("spooledEvents").asLong() == 5);
        relays.remove(0).close();
        restartSimulator();

        // Kafka still unreachable: the new relay must load its snapshot and serve anyway.
        WebTestClient second = startRelay(dir);
        assertThat(usageHealth(second).path("spooledEvents").asLong()).as("left by the first relay").isEqualTo(5);
        ids.add(chat(second, KEY_B));
        pollUsage();
        assertThat(arrived(ids)).isEmpty();

        proxy.restore();

        await().atMost(WAIT).until(() -> {
            pollUsage();
            return arrived(ids).stream().map(UsageEvent::requestId).distinct().count() == 6;
        });
        await().atMost(WAIT).until(() -> usageHealth(second).path("spooledEvents").asLong() == 0);
        assertOrderedPerUser(arrived(ids));
        await().atMost(WAIT).untilAsserted(() -> second.get().uri("/actuator/health").exchange()
                .expectBody().jsonPath("$.components.snapshot.details.changesFollowing").isEqualTo(true));
    }
}
