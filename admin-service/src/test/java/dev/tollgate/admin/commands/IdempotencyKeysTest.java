package dev.tollgate.admin.commands;

import static dev.tollgate.admin.web.ApiAssertions.assertApi;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static final String ROUTE = "/api/users/{id}/topups";

    @Test
    void shouldScopeTheHeaderToActorMethodAndRouteWhenPresent() {
        String id = IdempotencyKeys.commandId("user:1", write("POST", "/api/users/7/topups", ROUTE, "k1"));

        assertThat(id).isEqualTo("idem:" + Fingerprints.sha256Hex("user:1|POST|" + ROUTE + "|k1"))
                .matches("idem:[0-9a-f]{64}");
        assertThat(IdempotencyKeys.commandId("user:1", write("POST", "/api/users/7/topups", ROUTE, " k1 ")))
                .as("surrounding blanks are not part of the key").isEqualTo(id);
    }

    @Test
    void shouldGiveTwoActorsTwoIdsWhenTheySendTheSameHeader() {
        WriteRequest write = write("POST", "/api/keys", "/api/keys", "k1");

        assertThat(IdempotencyKeys.commandId("user:2", write)).isNotEqualTo(IdempotencyKeys.commandId("user:3", write));
        assertThat(IdempotencyKeys.commandId("user:2", write))
                .isNotEqualTo(IdempotencyKeys.commandId("user:2", write("PUT", "/api/keys", "/api/keys", "k1")))
                .isNotEqualTo(IdempotencyKeys.commandId("user:2", write("POST", "/api/keys", "/api/channels", "k1")));
    }

    @Test
    void shouldUseTheRouteNotThePathSoAKeyReusedForAnotherUserIsTheSameId() {
        assertThat(IdempotencyKeys.commandId("user:1", write("POST", "/api/users/7/topups", ROUTE, "k1")))
                .isEqualTo(IdempotencyKeys.commandId("user:1", write("POST", "/api/users/8/topups", ROUTE, "k1")));
    }

    @Test
    void shouldGenerateARandomIdWhenHeaderIsMissing() {
        String first = IdempotencyKeys.commandId("user:1", write("POST", "/api/keys", "/api/keys", null));

        assertThat(first).hasSize(36).doesNotStartWith("idem:")
                .isNotEqualTo(IdempotencyKeys.commandId("user:1", write("POST", "/api/keys", "/api/keys", " ")));
        assertApi(() -> IdempotencyKeys.commandId("user:1", write("POST", "/api/keys", "/api/keys", "x".repeat(129))),
                400, "invalid_request");
    }

    private static WriteRequest write(String method, String path, String route, String header) {
        return new WriteRequest(method, path, route, header);
    }
}
