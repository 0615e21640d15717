package dev.tollgate.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.admin.channels.ChannelSecrets;
import dev.tollgate.admin.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks a user's TOTP code against their stored (encrypted) secret. A code is accepted once: a code seen before for
 * the same user, or one of an earlier step, is refused, so a code read over someone's shoulder cannot be replayed
 * (held in this instance's memory for the few steps a code is valid).
 */
@Component
public class TotpVerifier {

    private static final Logger log = LoggerFactory.getLogger(TotpVerifier.class);

    private final ChannelSecrets secrets;
    private final Clock clock;
    private final Cache<Long, Long> lastStep = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(Totp.STEP_SECONDS * (2L * Totp.WINDOW + 2)))
            .maximumSize(100_000)
            .build();

    public TotpVerifier(ChannelSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /** True when the code is this user's current one and was not used already. */
    public boolean verify(long userId, String secretCiphertext, String code) {
        byte[] secret = secret(secretCiphertext);
        if (secret == null) {
            return false;
        }
        long step = Totp.matchingStep(secret, code, clock.instant());
        if (step < 0) {
            return false;
        }
        boolean[] fresh = {false};
        lastStep.asMap().compute(userId, (id, last) -> {
            fresh[0] = last == null || step > last;
            return fresh[0] ? step : last;
        });
        return fresh[0];
    }

    /** The secret in base32 as encrypted for storage. */
    String encrypt(String base32Secret) {
        return secrets.encrypt(base32Secret);
    }

    /** The base32 secret, or null when it cannot be read here (logged: an operator must fix the master keys). */
    String base32(String secretCiphertext) {
        if (secretCiphertext == null) {
            return null;
        }
        try {
            return secrets.decrypt(secretCiphertext);
        } catch (ApiException e) {
            log.warn("A TOTP secret does not decrypt under this service's master keys: {}", e.getMessage());
            return null;
        }
    }

    private byte[] secret(String secretCiphertext) {
        String base32 = base32(secretCiphertext);
        return base32 == null ? null : Totp.fromBase32(base32);
    }
}
