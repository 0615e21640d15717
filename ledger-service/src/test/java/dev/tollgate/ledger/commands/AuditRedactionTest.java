package dev.tollgate.ledger.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditRedactionTest {

    @Test
    void shouldRedactPasswordHashWhenUserIsCreatedOrUpdated() {
        String created = AuditRedaction.body(new Command.CreateUser("alice", "$2a$10$secret-hash", "customer",
                "default", true));
        String updated = AuditRedaction.body(new Command.UpdateUser(7, null, false, "$2a$10$other-hash"));

        assertThat(created).doesNotContain("secret-hash").contains("alice");
        assertThat(json(created).path("passwordHash").asString()).isEqualTo(AuditRedaction.REDACTED);
        assertThat(updated).doesNotContain("other-hash");
        assertThat(json(updated).path("enabled").asBoolean(true)).isFalse();
    }

    @Test
    void shouldRedactKeyHashAndChannelSecretsAtAnyDepthWhenKeptForAudit() {
        String key = AuditRedaction.body(new Command.CreateKey(7, "laptop", "ab".repeat(32), "tg-abcde", null, null,
                List.of(), List.of(), null, true));
        String channel = AuditRedaction.body(new Command.CreateChannel("bedrock", "bedrock", "https://x", "v1.CIPHER",
                Map.of("region", "us-east-1", "accessKeyId", "AKIAEXAMPLE", "nested",
                        Map.of("secretAccessKey", "SECRETEXAMPLE")),
                List.of("m"), null, List.of("default"), 0, 1, true));

        assertThat(key).doesNotContain("ab".repeat(32)).contains("tg-abcde").contains("laptop");
        assertThat(channel).doesNotContain("v1.CIPHER").doesNotContain("AKIAEXAMPLE").doesNotContain("SECRETEXAMPLE")
                .contains("us-east-1");
    }

    @Test
    void shouldRedactTheNewKeysHashAndTheTotpSecretWhenKeptForAudit() {
        String rotate = AuditRedaction.body(new Command.RotateKey(7, "cd".repeat(32), "tg-newer", 3600));
        String totp = AuditRedaction.body(new Command.SetTotp(3, "v2.k1.TOTPCIPHER", true));

        assertThat(rotate).doesNotContain("cd".repeat(32)).contains("tg-newer").contains("3600");
        assertThat(json(rotate).path("keyId").asLong()).isEqualTo(7);
        assertThat(totp).doesNotContain("TOTPCIPHER");
        assertThat(json(totp).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void shouldKeepEverythingWhenNothingIsSecret() {
        JsonNode topUp = json(AuditRedaction.body(new Command.TopUp(7, 5_000_000, "march invoice")));

        assertThat(topUp.path("userId").asLong()).isEqualTo(7);
        assertThat(topUp.path("amountMicros").asLong()).isEqualTo(5_000_000);
        assertThat(topUp.path("note").asString()).isEqualTo("march invoice");
        assertThat(AuditRedaction.isSecret("codeHashes")).isTrue();
        assertThat(AuditRedaction.isSecret("prefix")).isFalse();
    }

    private static JsonNode json(String text) {
        return Json.mapper().readTree(text);
    }
}
