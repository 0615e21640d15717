package dev.tollgate.relay.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.relay.support.RelayFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * TOLLGATE_OTLP_ENDPOINT as deployed: the relay's spans reach an OTLP/HTTP receiver (a stand-in collector
 * in this test) as protobuf, through the JDK HTTP sender the build ships instead of okhttp.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.opentelemetry.tracing.export.schedule-delay=100ms")
@AutoConfigureWebTestClient
// Closed after the class: its exporter points at a collector that stops with it.
@DirtiesContext
class OtlpExportIT {

    /** What the stand-in collector received: content type and body of each export. */
    record Export(String contentType, byte[] body) {
    }

    private static final List<Export> EXPORTS = new CopyOnWriteArrayList<>();
    private static final HttpServer COLLECTOR = collector();
    private static RelayFixture fixture;

    @Autowired
    WebTestClient client;

    private static HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    EXPORTS.add(new Export(exchange.getRequestHeaders().getFirst("Content-Type"), in.readAllBytes()));
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            // Read by TracingSwitch while the environment is prepared, before any test property source exists.
            System.setProperty("tollgate.tracing.otlp-endpoint",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        if (fixture == null) {
            fixture = new RelayFixture();
        }
        fixture.register(registry, "relay-otlp-it");
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("tollgate.tracing.otlp-endpoint");
        COLLECTOR.stop(0);
        fixture.close();
    }

    @Test
    void shouldExportSpansAsOtlpProtobufWhenAnEndpointIsConfigured() {
        WebTestClient slow = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        slow.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

        // Protobuf keeps strings as UTF-8: the server span's name is in the exported bytes.
        await().atMost(Duration.ofSeconds(30)).until(() -> EXPORTS.stream()
                .anyMatch(e -> new String(e.body(), StandardCharsets.ISO_8859_1).contains("http get /actuator/health")));
        assertThat(EXPORTS).allSatisfy(e -> assertThat(e.contentType()).isEqualTo("application/x-protobuf"));
    }
}
