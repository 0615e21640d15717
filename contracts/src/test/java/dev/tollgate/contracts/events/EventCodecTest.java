package dev.tollgate.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void shouldRoundTripUsageEvent() {
        UsageEvent event = UsageEvent.builder().requestId("0190-abc").relayId("r1").relaySeq(7).keyId(3).userId(2)
                .group("default").channelId(5L).modelAsked("gpt-4o-mini").modelServed("gpt-4o-mini")
                .dialect("openai").provider("openai").priceVersion(4).tokens(TokenUsage.fromOpenAi(100, 20, 30, 0))
                .status(UsageStatus.CANCELLED).httpStatus(200).attempts(List.of(new Attempt(5, "ok", 12)))
                .latencyMs(40).ttftMs(10L).startedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .finishedAt(Instant.parse("2026-01-01T00:00:01Z")).build();
        byte[] bytes = EventCodec.encode(event);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"v\":1", "\"type\":\"usage\"", "\"status\":\"cancelled\"",
                "\"at\":\"2026-01-01T00:00:01Z\"");
        assertThat(EventCodec.decodeUsage(bytes)).isEqualTo(event);
    }

    @Test
    void shouldRoundTripCapturedBodiesAndLeaveThemOutWhenThereAreNone() {
        UsageEvent.Builder builder = UsageEvent.builder().requestId("0190-cap").relayId("r1").keyId(3).userId(2)
                .modelAsked("gpt-4o-mini").status(UsageStatus.SUCCESS)
                .finishedAt(Instant.parse("2026-01-01T00:00:01Z"));
        Capture capture = new Capture(new CapturedText("{\"model\":\"gpt-4o-mini\",\"messages\":[\"é\\n\"]}", false),
                new CapturedText("{\"choices\":[{\"message\":{\"content\":\"Grüße\"", true), true);
        UsageEvent captured = builder.capture(capture).build();
        UsageEvent plain = builder.capture(null).build();

        byte[] bytes = EventCodec.encode(captured);
        String json = new String(bytes, StandardCharsets.UTF_8);

        assertThat(json).contains("\"capture\":{\"request\":{\"text\":", "\"truncated\":true", "\"streamed\":true");
        assertThat(EventCodec.decodeUsage(bytes)).isEqualTo(captured);
        assertThat(EventCodec.decodeUsage(bytes).capture().response().text()).endsWith("Grüße\"");
        assertThat(new String(EventCodec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("capture");
        assertThat(EventCodec.decodeUsage(EventCodec.encode(plain))).isEqualTo(plain);
        // A relay's numbering keeps the capture.
        assertThat(captured.withRelaySeq(9).capture()).isEqualTo(capture);
    }

    @Test
    void shouldReadAnOlderUsageEventWithoutCaptureAsCapturingNothing() {
        String json = "{\"v\":1,\"type\":\"usage\",\"id\":\"x\",\"requestId\":\"x\",\"userId\":9,"
                + "\"keyId\":4,\"priceModel\":\"m\",\"status\":\"success\"}";
        UsageEvent event = EventCodec.decodeUsage(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.capture()).isNull();
        assertThat(event.pricedModel()).isEqualTo("m");
    }

    @Test
    void shouldRoundTripTheCaptureSettingOfKeysAndReadItAsOffWhenOlderMessagesLackIt() {
        List<Command> commands = List.of(
                new Command.CreateKey(1, "ci", "ab12", "tg-abcde", null, null, null, null, null, true, null, null, null,
                        true),
                new Command.UpdateKey(4, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, false));
        for (Command command : commands) {
            CommandEnvelope back = EventCodec.decodeCommand(
                    EventCodec.encode(CommandEnvelope.of("c", "admin:1", command)));
            assertThat(back.payload()).isEqualTo(command);
        }
        Change.KeyChanged capturing = new Change.KeyChanged(4, 1, "ci", "ab12", "tg-abcde", null, null, 0, List.of(),
                List.of(), null, true, false, 3, null, null, null, true);
        assertThat(EventCodec.decodeChange(EventCodec.encode(ChangeEnvelope.of(capturing))).payload())
                .isEqualTo(capturing);

        String olderKey = "{\"v\":1,\"type\":\"key.changed\",\"id\":\"x\",\"payload\":{\"id\":4,\"userId\":1,"
                + "\"name\":\"ci\",\"keyHash\":\"ab\",\"prefix\":\"tg-a\",\"enabled\":true,\"version\":2}}";
        String olderUpdate = "{\"v\":1,\"type\":\"key.update\",\"id\":\"c1\",\"payload\":{\"keyId\":4,"
                + "\"enabled\":false}}";
        assertThat(((Change.KeyChanged) EventCodec.decodeChange(olderKey.getBytes(StandardCharsets.UTF_8)).payload())
                .captureBodies()).isFalse();
        assertThat(((Command.UpdateKey) EventCodec.decodeCommand(olderUpdate.getBytes(StandardCharsets.UTF_8))
                .payload()).captureBodies()).isNull();
    }

    @Test
    void shouldIgnoreUnknownFields() {
        String json = "{\"v\":1,\"type\":\"usage\",\"id\":\"x\",\"requestId\":\"x\",\"userId\":9,\"newField\":{\"a\":1}}";
        UsageEvent event = EventCodec.decodeUsage(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.userId()).isEqualTo(9);
    }

    @Test
    void shouldRefuseOtherSchemaVersionsAndGarbage() {
        assertThatThrownBy(() -> EventCodec.decodeUsage("{\"v\":2,\"type\":\"usage\",\"requestId\":\"x\"}".getBytes()))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("v=2");
        assertThatThrownBy(() -> EventCodec.decodeUsage("not json".getBytes()))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> EventCodec.decodeCommand("{\"v\":1,\"type\":\"nope\"}".getBytes()))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("nope");
    }

    @Test
    void shouldRoundTripEveryCommandType() {
        List<Command> commands = List.of(
                new Command.CreateUser("ann", "$2a$hash", "customer", "default", true),
                new Command.UpdateUser(1, "vip", false, null),
                new Command.TopUp(1, 5_000_000, "welcome"),
                new Command.CreateKey(1, "ci", "ab12", "tg-abcde", null, 1_000L, List.of("gpt-4o"), List.of("10.0.0.0/8"),
                        Instant.parse("2027-01-01T00:00:00Z"), true),
                new Command.UpdateKey(4, null, null, null, true, null, null, null, null, false, null),
                new Command.CreateChannel("sim", "openai", "http://x/v1", "v1.abc", Map.of("region", "eu"),
                        List.of("gpt-4o"), Map.of("gpt-4o", "gpt-4o-2024"), List.of("default"), 1, 2, true),
                new Command.UpdateChannel(3, null, null, null, null, null, null, null, null, 5, null, false, null),
                new Command.CreateChannel("tagged", "openai", "http://x/v1", "v1.abc", null, List.of("gpt-4o"), null,
                        null, null, null, null, List.of("eu", "cheap")),
                new Command.UpdateChannel(3, null, null, null, null, null, null, null, null, null, null, null, null,
                        List.of("us")),
                new Command.SetPrice("gpt-4o", 1, 2, 3, 4, 5, 6, 7, 4096L, 8),
                new Command.SetGroup("vip", 8_000),
                new Command.CreateRedemptionCodes("promo-1", 1_000_000, List.of("aa", "bb"), List.of("tgr-aa", "tgr-bb"),
                        Instant.parse("2027-01-01T00:00:00Z")),
                new Command.RedeemCode("aa", 7),
                new Command.AutoDisableChannel(3, 7, "auth_rejected: 401", "relay-a"),
                new Command.CreateKey(1, "limited", "ab13", "tg-abcdf", "vip", null, null, null, null, true, 60,
                        100_000L, "default"),
                new Command.UpdateKey(4, null, null, null, null, null, null, null, null, null, null, 120, null, null,
                        true, null, true),
                new Command.UpdateUser(1, null, null, null, 30, 5_000L, null, null),
                new Command.SetGroup("vip", 10_000, 600, 1_000_000L),
                new Command.SetSettings(Map.of("registrationEnabled", "true")),
                new Command.RotateKey(4, "ab13", "tg-abcdf", 86_400),
                new Command.ReencryptSecrets("k2"),
                new Command.SetTotp(3, "v2.k1.abc", true),
                new Command.SetTotp(3, null, false, Instant.parse("2026-11-26T10:00:00.123Z")),
                new Command.UpdateUser(1, null, null, "$2a$new", null, null, null, null,
                        Instant.parse("2026-11-26T10:00:00.123Z")),
                new Command.RevokeSession(3, "0b7c1f0e-jti", Instant.parse("2026-11-27T10:00:00Z")),
                new Command.RevokeSessions(3, Instant.parse("2026-11-26T10:00:00.456Z")),
                new Command.UseTotpStep(3, 59_000_123L));
        for (Command command : commands) {
            CommandEnvelope envelope = CommandEnvelope.of("cmd-" + command.hashCode(), "admin:1", "fp-1", command);
            CommandEnvelope back = EventCodec.decodeCommand(EventCodec.encode(envelope));
            assertThat(back.fingerprint()).isEqualTo("fp-1");
            assertThat(back.payload()).isEqualTo(command);
            assertThat(back.id()).isEqualTo(envelope.id());
            assertThat(back.type()).isEqualTo(CommandTypes.typeOf(command));
        }
    }

    @Test
    void shouldReadReasoningPriceAsZeroWhenAnOlderSetPriceLacksIt() {
        String json = "{\"v\":1,\"type\":\"" + CommandTypes.typeOf(new Command.SetPrice("m", 0, 0, 0, 0, 0, 0, 0, null))
                + "\",\"id\":\"c1\",\"payload\":{\"model\":\"m\",\"inputMicrosPerMTok\":1,"
                + "\"outputMicrosPerMTok\":2,\"outputReserveTokens\":10}}";
        Command payload = EventCodec.decodeCommand(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(payload).isEqualTo(new Command.SetPrice("m", 1, 2, 0, 0, 0, 0, 0, 10L, 0));
    }

    @Test
    void shouldReadReasoningPriceAsZeroWhenAnOlderPriceChangedLacksIt() {
        String json = "{\"v\":1,\"type\":\"" + ChangeTypes.typeOf(new Change.PriceChanged("m", 1, Price.FREE, null))
                + "\",\"id\":\"x\",\"payload\":{\"model\":\"m\",\"version\":3,\"price\":{"
                + "\"inputMicrosPerMTok\":1,\"outputMicrosPerMTok\":2,\"perRequestMicros\":5}}}";
        Change payload = EventCodec.decodeChange(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(payload).isEqualTo(new Change.PriceChanged("m", 3, new Price(1, 2, 0, 0, 5, 0, 0, 0), null));
    }

    @Test
    void shouldWriteTheReasoningPriceAndNothingElseNewInAPrice() {
        String json = new String(EventCodec.encode(ChangeEnvelope.of(
                new Change.PriceChanged("m", 1, Price.perMTok(1, 2).withReasoning(9), null))), StandardCharsets.UTF_8);
        assertThat(json).contains("\"reasoningMicrosPerMTok\":9").doesNotContain("pricesReasoning");
    }

    @Test
    void shouldRoundTripEveryChangeType() {
        List<Change> changes = List.of(
                Change.CommandResult.ok("c1", "key", "4", 2),
                Change.CommandResult.rejected("c2", "not_found", "no user 9"),
                new Change.UserChanged(1, "ann", "customer", "default", true, 3),
                new Change.BalanceChanged(1, 4_999_550, 8, Map.of("relay-a", 41L), Map.of(4L, 450L)),
                new Change.KeyChanged(4, 1, "ci", "ab12", "tg-abcde", null, 1000L, 450, List.of(), List.of(), null,
                        true, false, 2),
                new Change.ChannelChanged(3, "sim", "openai", "http://x/v1", "v1.abc", Map.of(), List.of("gpt-4o"),
                        Map.of(), List.of("default"), 0, 1, true, false, 1),
                new Change.ChannelChanged(3, "sim", "openai", "http://x/v1", "v1.abc", Map.of(), List.of("gpt-4o"),
                        Map.of(), List.of("default"), 0, 1, false, false, 2, true, "auth_rejected: 401"),
                new Change.ChannelChanged(3, "sim", "openai", "http://x/v1", "v1.abc", Map.of(), List.of("gpt-4o"),
                        Map.of(), List.of("default"), 0, 1, true, false, 3, false, null, List.of("eu", "cheap")),
                new Change.PriceChanged("gpt-4o", 2, new Price(1, 2, 3, 4, 5, 6, 7, 8), null),
                new Change.GroupChanged("vip", 8000, 1),
                new Change.GroupChanged("vip", 8000, 2, 600, 1_000_000L),
                new Change.SessionsRevoked(3, "0b7c1f0e-jti", Instant.parse("2026-11-27T10:00:00Z"), null),
                new Change.SessionsRevoked(3, null, null, Instant.parse("2026-11-26T10:00:00.456Z")),
                new Change.UserChanged(1, "ann", "customer", "default", true, 4, 30, null),
                new Change.KeyChanged(4, 1, "ci", "ab12", "tg-abcde", "vip", null, 0, List.of(), List.of(), null,
                        true, false, 3, 60, 100_000L, "default"));
        for (Change change : changes) {
            ChangeEnvelope back = EventCodec.decodeChange(EventCodec.encode(ChangeEnvelope.of(change)));
            assertThat(back.payload()).isEqualTo(change);
        }
    }

    @Test
    void shouldReadAnOlderChannelChangedAsNotAutoDisabled() {
        String json = "{\"v\":1,\"type\":\"channel.changed\",\"id\":\"x\",\"payload\":{\"id\":3,\"name\":\"sim\","
                + "\"provider\":\"openai\",\"baseUrl\":\"http://x/v1\",\"models\":[\"m\"],\"groups\":[\"default\"],"
                + "\"priority\":0,\"weight\":1,\"enabled\":false,\"deleted\":false,\"version\":4}}";
        Change payload = EventCodec.decodeChange(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(payload).isInstanceOfSatisfying(Change.ChannelChanged.class, c -> {
            assertThat(c.autoDisabled()).isFalse();
            assertThat(c.disabledReason()).isNull();
            assertThat(c.version()).isEqualTo(4);
        });
    }

    @Test
    void shouldNameTheAutoDisableCommandOnTheWire() {
        CommandEnvelope envelope = CommandEnvelope.of("auto-disable:3:7:relay-a", "relay:relay-a",
                new Command.AutoDisableChannel(3, 7, "auth_rejected: 401", "relay-a"));
        String json = new String(EventCodec.encode(envelope), StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\":\"channel.auto_disable\"", "\"channelVersion\":7");
        assertThat(envelope.payload().aggregateId()).isEqualTo("channel:3");
    }

    @Test
    void shouldReadRateLimitsAsNoneWhenAnOlderKeyChangedLacksThem() {
        String json = "{\"v\":1,\"type\":\"key.changed\",\"id\":\"x\",\"payload\":{\"id\":4,\"userId\":1,"
                + "\"name\":\"ci\",\"keyHash\":\"ab\",\"prefix\":\"tg-a\",\"enabled\":true,\"version\":2}}";
        Change.KeyChanged key = (Change.KeyChanged) EventCodec.decodeChange(json.getBytes(StandardCharsets.UTF_8))
                .payload();
        assertThat(key.rpmLimit()).isNull();
        assertThat(key.tpmLimit()).isNull();
        assertThat(key.fallbackGroup()).isNull();
        assertThat(key).isEqualTo(new Change.KeyChanged(4, 1, "ci", "ab", "tg-a", null, null, 0, List.of(), List.of(),
                null, true, false, 2));
    }

    @Test
    void shouldReadRateLimitsAsUnchangedWhenAnOlderUpdateUserLacksThem() {
        String json = "{\"v\":1,\"type\":\"user.update\",\"id\":\"c1\",\"payload\":{\"userId\":3,\"enabled\":false}}";
        Command payload = EventCodec.decodeCommand(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(payload).isEqualTo(new Command.UpdateUser(3, null, false, null));
    }

    @Test
    void shouldRoundTripRateCountsAndRefuseOtherVersions() {
        RateCounts counts = RateCounts.of("relay-a", 12, 0, 1, Instant.parse("2026-01-01T00:00:00Z"), 60_000,
                List.of(new RateCounts.Scope("key:7", 40, 12_000), new RateCounts.Scope("group:vip", 3, 0)));

        assertThat(RateCounts.decode(counts.encode())).isEqualTo(counts);
        assertThatThrownBy(() -> RateCounts.decode("{\"v\":2,\"relayId\":\"r\"}".getBytes()))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> RateCounts.decode("{\"v\":1,\"tick\":1}".getBytes()))
                .isInstanceOf(UnreadableEventException.class);
        assertThatThrownBy(() -> RateCounts.decode("nope".getBytes())).isInstanceOf(UnreadableEventException.class);
    }
}
