package dev.tollgate.admin.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tollgate.admin.revocation-retry.*}: how sign-outs the ledger did not confirm are sent again
 * ({@link PendingRevocations}).
 *
 * @param first      the wait before the first resend; each burst without success doubles it
 * @param max        the cap of the doubling
 * @param maxPending how many unconfirmed sign-outs are kept (beyond it a new one holds on this instance only)
 */
@ConfigurationProperties("tollgate.admin.revocation-retry")
public record RevocationRetryProperties(
        @DefaultValue("1s") Duration first,
        @DefaultValue("30s") Duration max,
        @DefaultValue("100000") int maxPending) {

    public RevocationRetryProperties {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || maxPending < 1) {
            throw new IllegalArgumentException("need 0 < first <= max and maxPending >= 1");
        }
    }
}
