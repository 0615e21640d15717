package dev.tollgate.ledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UsageParserTest {

    private static UsageEvent.Builder valid() {
        return UsageEvent.builder().requestId("req-1").relayId("relay-a").relaySeq(7).keyId(3).userId(5)
                .modelAsked("gpt-x").tokens(TokenUsage.ofTokens(10, 20)).finishedAt(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void shouldAcceptWhenEventIsValid() {
        ParsedUsage parsed = UsageParser.parse(EventCodec.encode(valid().build()));
        assertThat(parsed).isInstanceOf(ParsedUsage.Accepted.class);
        assertThat(((ParsedUsage.Accepted) parsed).event().relaySeq()).isEqualTo(7);
    }

    @Test
    void shouldRejectWithRawTextWhenBytesAreNotJson() {
        ParsedUsage parsed = UsageParser.parse("not json {".getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).isInstanceOfSatisfying(ParsedUsage.Rejected.class, r -> {
            assertThat(r.reason()).contains("malformed JSON");
            assertThat(r.raw()).isEqualTo("not json {");
            assertThat(UsageDeadLetter.key(r)).isEqualTo("unknown");
        });
    }

    @Test
    void shouldRejectKeyedByRequestIdWhenUserIdIsZero() {
        ParsedUsage parsed = UsageParser.parse(EventCodec.encode(valid().userId(0).build()));
        assertThat(parsed).isInstanceOfSatisfying(ParsedUsage.Rejected.class, r -> {
            assertThat(r.reason()).contains("userId");
            assertThat(UsageDeadLetter.key(r)).isEqualTo("req-1");
        });
    }

    @Test
    void shouldRejectWhenSchemaVersionIsUnknown() {
        String json = new String(EventCodec.encode(valid().build()), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");
        assertThat(UsageParser.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ParsedUsage.Rejected.class, r -> {
                    assertThat(r.reason()).contains("version");
                    assertThat(r.requestId()).isEqualTo("req-1");
                });
    }

    @Test
    void shouldRejectWhenTokenCountIsNegative() {
        String json = new String(EventCodec.encode(valid().build()), StandardCharsets.UTF_8)
                .replace("\"outputTokens\":20", "\"outputTokens\":-20");
        assertThat(UsageParser.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ParsedUsage.Rejected.class, r -> assertThat(r.reason()).contains("outputTokens"));
    }

    @Test
    void shouldRejectWhenModelNameTooLongForTheLog() {
        ParsedUsage parsed = UsageParser.parse(EventCodec.encode(valid().modelAsked("m".repeat(129)).build()));
        assertThat(parsed).isInstanceOfSatisfying(ParsedUsage.Rejected.class,
                r -> assertThat(r.reason()).contains("modelAsked"));
    }

    @Test
    void shouldWriteDeadLetterWithReasonAndOriginalTextWhenRejected() {
        ParsedUsage.Rejected rejected = new ParsedUsage.Rejected("bad", null, "{\"x\":1}");
        JsonNode node = Json.mapper().readTree(UsageDeadLetter.payload(rejected));
        assertThat(node.path("v").asInt()).isEqualTo(1);
        assertThat(node.path("type").asString()).isEqualTo("usage.rejected");
        assertThat(node.path("reason").asString()).isEqualTo("bad");
        assertThat(node.path("raw").asString()).isEqualTo("{\"x\":1}");
    }
}
