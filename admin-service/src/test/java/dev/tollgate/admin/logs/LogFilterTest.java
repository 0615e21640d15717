package dev.tollgate.admin.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.auth.Role;
import dev.tollgate.admin.web.ApiAssertions;
import org.junit.jupiter.api.Test;

class LogFilterTest {

    @Test
    void shouldPinCustomerToOwnUserWhenAnotherIsAsked() {
        LogFilter f = LogFilter.of(new Caller(5, Role.CUSTOMER), 6L, null, null, null, null, null, null);

        assertThat(f.userId()).isEqualTo(5L);
        assertThat(LogRepository.where(f).sql()).isEqualTo("WHERE user_id = :userId ");
        assertThat(LogRepository.where(f).params()).containsEntry("userId", 5L);
    }

    @Test
    void shouldLetAdminFilterAnyUserWhenAsked() {
        LogFilter f = LogFilter.of(new Caller(1, Role.ADMIN), 6L, 2L, "gpt-4o", 3L, "2030-01-01T00:00:00Z",
                "2030-01-02T00:00:00Z", "success");

        assertThat(LogRepository.where(f).sql()).isEqualTo("WHERE user_id = :userId AND key_id = :keyId AND "
                + "model = :model AND channel_id = :channelId AND at >= :from AND at < :to AND status = :status ");
        assertThat(LogRepository.where(LogFilter.of(new Caller(1, Role.ADMIN), null, null, null, null, null, null,
                null)).sql()).isEmpty();
    }

    @Test
    void shouldRejectWhenFiltersAreMalformed() {
        Caller admin = new Caller(1, Role.ADMIN);
        ApiAssertions.assertInvalid(() -> LogFilter.of(admin, null, null, null, null, "yesterday", null, null),
                "from");
        ApiAssertions.assertInvalid(() -> LogFilter.of(admin, null, null, null, null, null, null, "ok"), "status");
        ApiAssertions.assertInvalid(() -> LogFilter.of(admin, null, null, null, null, "2030-01-02T00:00:00Z",
                "2030-01-01T00:00:00Z", null), "to");
    }
}
