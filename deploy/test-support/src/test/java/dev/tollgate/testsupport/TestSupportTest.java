package dev.tollgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestSupportTest {

    @Test
    void createsQueriesAndDropsADatabase() throws Exception {
        TestDatabase db = TestDatabase.create();
        assertThat(db.name()).startsWith("tg_test_");
        assertThat(db.jdbcUrl()).startsWith("jdbc:mariadb://" + db.host() + ":" + db.port() + "/" + db.name());
        assertThat(db.r2dbcUrl()).isEqualTo("r2dbc:mysql://" + db.host() + ":" + db.port() + "/" + db.name()
                + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
            st.execute("INSERT INTO t VALUES (42)");
            try (ResultSet rs = st.executeQuery("SELECT DATABASE(), COUNT(*) FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(db.name());
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
        }
        try (TestDatabase other = TestDatabase.create()) {
            assertThat(other.name()).isNotEqualTo(db.name());
        }
        db.close();
        db.close(); // idempotent
        assertThatThrownBy(() -> {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.executeQuery("SELECT COUNT(*) FROM t");
            }
        }).isInstanceOf(SQLException.class);
    }

    @Test
    void producesAndConsumesThroughTheSharedBroker() {
        String bootstrap = TestKafka.bootstrapServers();
        assertThat(TestKafka.bootstrapServers()).isSameAs(bootstrap);
        String prefix = TestKafka.uniquePrefix();
        assertThat(prefix).matches("t-[0-9a-f]{8}\\.");
        assertThat(TestKafka.uniquePrefix()).isNotEqualTo(prefix);
        String topic = prefix + "probe";

        Map<String, Object> pc = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pc)) {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    producer.send(new ProducerRecord<>(topic, "k", "hello")).get(10, TimeUnit.SECONDS) != null);
        }

        Map<String, Object> cc = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "g",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cc)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
                return !seen.isEmpty();
            });
        }
        assertThat(seen).containsExactly("k=hello");
    }

    @Test
    void proxyForwardsAndCutBreaksConnections() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> echoLoop(echo), "echo");
            server.setDaemon(true);
            server.start();

            try (TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort())) {
                assertThat(proxy.port()).isPositive().isNotEqualTo(echo.getLocalPort());
                Socket s = new Socket("127.0.0.1", proxy.port());
                s.setSoTimeout(10_000);
                assertThat(roundTrip(s, "ping")).isEqualTo("ping");

                proxy.cut();
                assertThat(proxy.isCut()).isTrue();
                // the open connection is broken: reading ends (EOF or reset)
                assertThat(readEndsOrFails(s)).isTrue();
                s.close();
                // new connections are refused (and, whatever the kernel does with the freed port,
                // nothing reaches the target)
                int acceptedBefore = ACCEPTED.get();
                try (Socket refused = new Socket("127.0.0.1", proxy.port())) {
                    refused.setSoTimeout(500);
                    refused.getOutputStream().write(1);
                    readEndsOrFails(refused);
                } catch (ConnectException expected) {
                    // the usual case
                } catch (IOException alsoFine) {
                    // reset
                }
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                        .until(() -> ACCEPTED.get() == acceptedBefore);

                proxy.restore();
                try (Socket again = new Socket("127.0.0.1", proxy.port())) {
                    again.setSoTimeout(10_000);
                    assertThat(roundTrip(again, "pong")).isEqualTo("pong");
                }
            }
        }
    }

    private static String roundTrip(Socket s, String msg) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(msg.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[msg.length()];
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new IOException("EOF");
            }
            off += n;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    private static boolean readEndsOrFails(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger ACCEPTED = new java.util.concurrent.atomic.AtomicInteger();

    private static void echoLoop(ServerSocket echo) {
        while (!echo.isClosed()) {
            try {
                Socket c = echo.accept();
                ACCEPTED.incrementAndGet();
                Thread t = new Thread(() -> {
                    try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                        byte[] buf = new byte[1024];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // client gone
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
