package dev.tollgate.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.admin.channels.ChannelSecrets;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Command;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a user's TOTP code against their stored (encrypted) secret. A code is accepted once across every admin
 * instance: its time step must be later than the last one the ledger accepted for the user, and the ledger takes it
 * as used atomically ({@link Command.UseTotpStep}), so two instances shown the same code accept it once between
 * them. A step this instance already saw used is refused without asking.
 */
@Component
public class TotpVerifier {

    private static final Logger log = LoggerFactory.getLogger(TotpVerifier.class);

    private final ChannelSecrets secrets;
    private final CommandGateway gateway;
    private final Clock clock;
    private final Cache<Long, Long> lastStep = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(Totp.STEP_SECONDS * (2L * Totp.WINDOW + 2)))
            .maximumSize(100_000)
            .build();

    public TotpVerifier(ChannelSecrets secrets, CommandGateway gateway, Clock clock) {
        this.secrets = secrets;
        this.gateway = gateway;
        this.clock = clock;
    }

    /**
     * True when the code is this user's current one and was not used already, anywhere; false for a wrong or used
     * code; a 503 when the ledger cannot confirm in time (the code is then not known to be unused).
     */
    public Mono<Boolean> verify(long userId, String secretCiphertext, String code) {
        byte[] secret = secret(secretCiphertext);
        if (secret == null) {
            return Mono.just(false);
        }
        long step = Totp.matchingStep(secret, code, clock.instant());
        if (step < 0) {
            return Mono.just(false);
        }
        Long seen = lastStep.getIfPresent(userId);
        if (seen != null && step <= seen) {
            return Mono.just(false);
        }
        // A fresh id per attempt: a shared one would hand the second instance the first one's "ok".
        return gateway.send(new Command.UseTotpStep(userId, step), "totp:" + UUID.randomUUID(), null,
                        "user:" + userId)
                .map(result -> {
                    if (result.ok()) {
                        lastStep.asMap().merge(userId, step, Math::max);
                    }
                    return result.ok();
                });
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
