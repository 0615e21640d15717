package dev.tollgate.admin.redemptions;

import dev.tollgate.admin.web.ApiException;
import java.time.Instant;
import java.util.regex.Pattern;

/** Bodies of the redemption calls, each checking itself before anything is sent. */
public final class RedemptionRequests {

    static final int MAX_COUNT = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private RedemptionRequests() {
    }

    /** A batch to create; {@code expiresAt} null means the codes never expire. */
    public record CreateBatch(String name, Long amountMicros, Integer count, Instant expiresAt) {
        public CreateBatch validate(Instant now) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw ApiException.invalid("name", "1 to 128 letters, digits or _.:-");
            }
            if (amountMicros == null || amountMicros <= 0) {
                throw ApiException.invalid("amountMicros", "must be positive");
            }
            if (count == null || count < 1 || count > MAX_COUNT) {
                throw ApiException.invalid("count", "must be between 1 and " + MAX_COUNT);
            }
            if (expiresAt != null && !expiresAt.isAfter(now)) {
                throw ApiException.invalid("expiresAt", "must be in the future");
            }
            return this;
        }
    }

    /** A code to redeem; {@code userId} (admins only) credits someone else than the caller. */
    public record Redeem(String code, Long userId) {
        public Redeem validate() {
            if (code == null || code.isBlank()) {
                throw ApiException.invalid("code", "is required");
            }
            return this;
        }

        @Override
        public String toString() {
            return "Redeem[userId=" + userId + "]";
        }
    }
}
