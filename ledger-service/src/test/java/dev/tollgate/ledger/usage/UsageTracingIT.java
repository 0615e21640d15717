package dev.tollgate.ledger.usage;

import static dev.tollgate.ledger.support.LedgerClient.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.ledger.support.LedgerClient;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With tracing on, a usage record's {@code traceparent} header continues the relay request's trace into the
 * ledger: its apply is a {@code ledger apply} span in that trace, linked to the batch's own span. Real broker,
 * real database; only the span exporter is in memory.
 */
@SpringBootTest(properties = "tollgate.tracing.enabled=true")
@DirtiesContext
class UsageTracingIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final TestDatabase db = TestDatabase.create();
    private static final String PREFIX = TestKafka.uniquePrefix();
    private static final Topics topics = new Topics(PREFIX);
    /** Not a bean: Boot's batch processor would export to every SpanExporter bean as well. */
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static LedgerClient client;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("tollgate.topic-prefix", () -> PREFIX);
    }

    @TestConfiguration
    static class Config {

        /** Exported as each span ends: no batch delay to wait out. */
        @Bean
        SpanProcessor inMemorySpanProcessor() {
            return SimpleSpanProcessor.create(SPANS);
        }

        /** Drops the database when the context closes, after the consumers stopped. */
        @Bean
        DisposableBean dropTestDatabase() {
            return db::close;
        }
    }

    @AfterAll
    static void stopClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void shouldApplyAUsageRecordInsideTheRelayRequestsTraceWhenItCarriesATraceparent() {
        client = new LedgerClient(TestKafka.bootstrapServers(), topics);
        long user = client.createUser();
        client.topUp(user, 10_000_000);
        String model = "traced-" + UUID.randomUUID();
        long version = client.setPrice(model, Price.perMTok(1_000_000, 4_000_000));
        long key = client.createKey(user);
        UsageEvent traced = usage(user, key, model, version, TokenUsage.ofTokens(100, 20)).relaySeq(1).build();
        UsageEvent untraced = usage(user, key, model, version, TokenUsage.ofTokens(100, 20)).relaySeq(2).build();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String serverSpanId = "00f067aa0ba902b7";

        Logger consumerLog = (Logger) LoggerFactory.getLogger(UsageConsumer.class);
        Level level = consumerLog.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        consumerLog.setLevel(Level.DEBUG);
        consumerLog.addAppender(lines);
        try {
            client.sendUsage(traced, Map.of("traceparent", "00-" + traceId + "-" + serverSpanId + "-03"));
            client.sendUsage(untraced);
            await().atMost(DEADLINE).until(() -> logged(traced.requestId()) && logged(untraced.requestId()));
            // Made as the batch's span ends, after its log lines.
            await().atMost(DEADLINE).until(() -> !named("ledger apply").isEmpty());
        } finally {
            consumerLog.detachAppender(lines);
            consumerLog.setLevel(level);
        }
        List<SpanData> applies = named("ledger apply");
        assertThat(applies).as("one span per traced record, none for the untraced one").hasSize(1);
        SpanData apply = applies.get(0);
        assertThat(apply.getTraceId()).isEqualTo(traceId);
        assertThat(apply.getParentSpanId()).isEqualTo(serverSpanId);
        assertThat(apply.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(apply.getLinks()).hasSize(1);
        String batchSpanId = apply.getLinks().get(0).getSpanContext().getSpanId();
        List<SpanData> batches = named("ledger apply batch");
        assertThat(batches).anySatisfy(batch -> {
            assertThat(batch.getSpanId()).isEqualTo(batchSpanId);
            assertThat(batch.getTraceId()).isNotEqualTo(traceId);
            assertThat(batch.getStartEpochNanos()).isEqualTo(apply.getStartEpochNanos());
            assertThat(batch.getEndEpochNanos()).isEqualTo(apply.getEndEpochNanos());
        });
        // The batch's log lines carry its trace and span ids (Micrometer Tracing's MDC keys, in the JSON logs).
        SpanData batch = batches.stream().filter(b -> b.getSpanId().equals(batchSpanId)).findFirst().orElseThrow();
        assertThat(lines.list).anySatisfy(line -> assertThat(line.getMDCPropertyMap())
                .containsEntry("traceId", batch.getTraceId())
                .containsEntry("spanId", batch.getSpanId()));
    }

    private List<SpanData> named(String name) {
        return SPANS.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    }

    private boolean logged(String requestId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM request_log WHERE request_id = ?", Integer.class,
                requestId) > 0;
    }
}
