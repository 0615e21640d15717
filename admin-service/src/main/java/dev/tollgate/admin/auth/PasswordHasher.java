package dev.tollgate.admin.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** bcrypt, off the event loop (a hash costs tens of milliseconds of CPU by design). */
@Component
public class PasswordHasher {

    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(10);
    // Compared against when the user does not exist, so timing does not reveal usernames.
    private final String dummyHash = encoder.encode(java.util.UUID.randomUUID().toString());

    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** True when the password matches the hash; a null hash is checked against a dummy and fails. */
    public Mono<Boolean> matches(String password, String hash) {
        return Mono.fromCallable(() -> hash == null
                        ? encoder.matches(password, dummyHash) && false
                        : matchesSafely(password, hash))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private boolean matchesSafely(String password, String hash) {
        try {
            return encoder.matches(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
