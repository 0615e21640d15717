package dev.tollgate.admin.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.tollgate.admin.web.ApiAssertions.assertApi;

import dev.tollgate.contracts.events.Change;
import org.junit.jupiter.api.Test;

class CommandResultsTest {

    @Test
    void shouldMapRejectionCodesToHttpStatusWhenLedgerRefuses() {
        assertApi(() -> CommandResults.requireOk(Change.CommandResult.rejected("c", "conflict", "taken")), 409,
                "conflict");
        assertApi(() -> CommandResults.requireOk(Change.CommandResult.rejected("c", "not_found", "no")), 404,
                "not_found");
        assertApi(() -> CommandResults.requireOk(Change.CommandResult.rejected("c", "invalid", "bad")), 400, "invalid");
        assertApi(() -> CommandResults.requireOk(Change.CommandResult.rejected("c", "insufficient", "x")), 422,
                "insufficient");
    }

    @Test
    void shouldReadEntityIdWhenNumericOrPrefixed() {
        assertThat(CommandResults.numericEntityId(Change.CommandResult.ok("c", "user", "12", 1))).contains(12L);
        assertThat(CommandResults.numericEntityId(Change.CommandResult.ok("c", "user", "user:12", 1))).contains(12L);
        assertThat(CommandResults.numericEntityId(Change.CommandResult.ok("c", "price", "gpt-4o", 1))).isEmpty();
    }

    @Test
    void shouldAnswer422WhenLedgerSaysTheIdempotencyKeyWasReused() {
        assertApi(() -> CommandResults.requireOk(Change.CommandResult.rejected("c", "idempotency_key_reused",
                "other request")), 422, "idempotency_key_reused");
        assertApi(() -> {
            throw CommandResults.keyReused();
        }, 422, "idempotency_key_reused");
    }
}
