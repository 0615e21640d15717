package dev.tollgate.admin.redemptions;

import static dev.tollgate.admin.web.ApiAssertions.assertApi;
import static dev.tollgate.admin.web.ApiAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.Role;
import dev.tollgate.contracts.events.Change;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedemptionControllerTest {

    private static final Caller CUSTOMER = new Caller(5, Role.CUSTOMER);
    private static final Caller ADMIN = new Caller(1, Role.ADMIN);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldCreditTheCallerWhenNoUserIsNamed() {
        assertThat(RedemptionController.beneficiary(CUSTOMER, null)).isEqualTo(5);
        assertThat(RedemptionController.beneficiary(CUSTOMER, 5L)).isEqualTo(5);
        assertThat(RedemptionController.beneficiary(ADMIN, null)).isEqualTo(1);
    }

    @Test
    void shouldRefuseACustomerWhenTheyNameSomeoneElse() {
        assertApi(() -> RedemptionController.beneficiary(CUSTOMER, 6L), 403, "forbidden");
        assertThat(RedemptionController.beneficiary(ADMIN, 6L)).isEqualTo(6);
    }

    @Test
    void shouldMapLedgerRefusalsToTheirOwnCodesWhenARedemptionFails() {
        assertApi(() -> RedemptionController.requireRedeemed(rejected("not_found", "unknown redemption code")), 404,
                "code_not_found");
        assertApi(() -> RedemptionController.requireRedeemed(rejected("not_found", "no such user: 9")), 404,
                "not_found");
        assertApi(() -> RedemptionController.requireRedeemed(rejected("conflict", "code already redeemed")), 409,
                "code_already_redeemed");
        assertApi(() -> RedemptionController.requireRedeemed(rejected("invalid", "code expired")), 410,
                "code_expired");
        assertApi(() -> RedemptionController.requireRedeemed(rejected("invalid", "something else")), 400, "invalid");
        assertApi(() -> RedemptionController.requireRedeemed(rejected("idempotency_key_reused", "reused")), 422,
                "idempotency_key_reused");
        assertApi(() -> RedemptionController.requireRedeemed(Change.CommandResult.ok("c", "user", "3", 1)), 422,
                "idempotency_key_reused");
        Change.CommandResult ok = Change.CommandResult.ok("c", "journal", "12", 4);
        assertThat(RedemptionController.requireRedeemed(ok)).isSameAs(ok);
    }

    @Test
    void shouldGenerateDistinctCodesOfTheDocumentedShape() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String code = RedemptionCodes.generate();
            assertThat(code).matches("tgr-[0-9A-Za-z]{24}");
            assertThat(RedemptionCodes.looksValid(code)).isTrue();
            assertThat(RedemptionCodes.hash(code)).matches("[0-9a-f]{64}");
            assertThat(RedemptionCodes.displayPrefix(code)).isEqualTo(code.substring(0, 8));
            seen.add(code);
        }
        assertThat(seen).hasSize(1_000);
        assertThat(RedemptionCodes.looksValid("tgr-short")).isFalse();
        assertThat(RedemptionCodes.looksValid("tg-" + "a".repeat(25))).isFalse();
        assertThat(RedemptionCodes.looksValid("tgr-" + "a".repeat(23) + "!")).isFalse();
    }

    @Test
    void shouldRefuseABatchWhenItsFieldsAreOutOfRange() {
        assertInvalid(() -> new RedemptionRequests.CreateBatch(null, 1L, 1, null).validate(NOW), "name");
        assertInvalid(() -> new RedemptionRequests.CreateBatch("a b", 1L, 1, null).validate(NOW), "name");
        assertInvalid(() -> new RedemptionRequests.CreateBatch("a", 0L, 1, null).validate(NOW), "amountMicros");
        assertInvalid(() -> new RedemptionRequests.CreateBatch("a", 1L, 0, null).validate(NOW), "count");
        assertInvalid(() -> new RedemptionRequests.CreateBatch("a", 1L, 10_001, null).validate(NOW), "count");
        assertInvalid(() -> new RedemptionRequests.CreateBatch("a", 1L, 1, NOW).validate(NOW), "expiresAt");
        assertThat(new RedemptionRequests.CreateBatch("a", 1L, 10_000, NOW.plusSeconds(1)).validate(NOW)).isNotNull();
    }

    @Test
    void shouldKeepCodesOutOfLogsWhenAnswersArePrinted() {
        CreatedBatchView view = new CreatedBatchView("b", 1, 1, null, java.util.List.of("tgr-secretsecretsecretsecret"));
        assertThat(view.toString()).doesNotContain("tgr-");
        assertThat(new RedemptionRequests.Redeem("tgr-secretsecretsecretsecret", null).toString())
                .doesNotContain("tgr-");
    }

    private static Change.CommandResult rejected(String code, String message) {
        return Change.CommandResult.rejected("c", code, message);
    }
}
