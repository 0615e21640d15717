package dev.tollgate.admin.users;

import static dev.tollgate.admin.web.ApiAssertions.assertApi;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserControllerTest {

    @Test
    void shouldAnswerTheEntryWhenItBelongsToTheUserInThePath() {
        JournalEntryView entry = entry(7);

        assertThat(UserController.requireEntryOf(7, entry)).isSameAs(entry);
    }

    @Test
    void shouldAnswer422InsteadOfAnotherUsersEntryWhenTheIdNamesAnotherTopUp() {
        assertApi(() -> UserController.requireEntryOf(8, entry(7)), 422, "idempotency_key_reused");
    }

    @Test
    void shouldAlsoLookUpTheRefAsOlderLedgersCutItWhenTheCommandIdIsLong() {
        String scoped = "idem:" + "a".repeat(64);

        assertThat(UserController.legacyJournalRef(scoped)).hasSize(64).isEqualTo(scoped.substring(0, 64));
        assertThat(UserController.legacyJournalRef("5f0c6a1e-short")).isEqualTo("5f0c6a1e-short");
    }

    private static JournalEntryView entry(long userId) {
        return new JournalEntryView(1, userId, "topup", 1_000_000, 1_000_000, null, Instant.EPOCH);
    }
}
