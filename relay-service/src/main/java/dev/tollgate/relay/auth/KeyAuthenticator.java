package dev.tollgate.relay.auth;

import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.UserState;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Customer key → principal, from the snapshot. Every failure is the same 401, no hint which part was wrong, except an
 * expired key: its holder proved they have it, and must learn to switch to its replacement after a rotation.
 */
public class KeyAuthenticator {

    private static final String BEARER = "bearer ";
    private static final String MISSING = "You didn't provide an API key. You need to provide your API key in an "
            + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or in an x-api-key, "
            + "api-key or x-goog-api-key header (Gemini routes also take ?key=).";
    /** The headers SDKs put a key in besides {@code Authorization: Bearer}: Anthropic's, Azure's, Gemini's. */
    private static final String[] KEY_HEADERS = {"x-api-key", "api-key", "x-goog-api-key"};
    private static final String INCORRECT = "Incorrect API key provided.";
    static final String EXPIRED = "This API key has expired (a rotated key stops working when its grace period "
            + "ends). Use its replacement.";

    private final RelaySnapshot snapshot;
    private final Clock clock;

    public KeyAuthenticator(RelaySnapshot snapshot, Clock clock) {
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /** The principal, or a {@link Rejection} of kind INVALID_API_KEY. */
    public Mono<Principal> authenticate(HttpHeaders headers) {
        return authenticate(headers, null);
    }

    /**
     * As {@link #authenticate(HttpHeaders)}, with a key the client sent outside the headers (Gemini's {@code ?key=}
     * query parameter), used when the headers carry none.
     */
    public Mono<Principal> authenticate(HttpHeaders headers, String queryKey) {
        String key = presentedKey(headers);
        if (key == null && queryKey != null && !queryKey.isBlank()) {
            key = queryKey.trim();
        }
        if (key == null) {
            return Mono.error(Rejection.of(Rejection.Kind.INVALID_API_KEY, MISSING));
        }
        if (!CustomerKeys.looksValid(key)) {
            return Mono.error(Rejection.of(Rejection.Kind.INVALID_API_KEY, INCORRECT));
        }
        return snapshot.key(CustomerKeys.hash(key))
                .flatMap(this::activeKey)
                .flatMap(this::withUser)
                .onErrorMap(KeyAuthenticator::unexpected, KeyAuthenticator::unavailable);
    }

    private static boolean unexpected(Throwable e) {
        return !(e instanceof Rejection);
    }

    /** A key not in memory could not be read from MySQL: the client may retry. */
    private static Rejection unavailable(Throwable e) {
        return Rejection.of(Rejection.Kind.UNAVAILABLE, "The service is temporarily unable to check API keys.");
    }

    /**
     * {@code Authorization: Bearer <key>}, else Anthropic clients' {@code x-api-key}, Azure clients' {@code api-key}
     * or Gemini clients' {@code x-goog-api-key}.
     */
    static String presentedKey(HttpHeaders headers) {
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            return key.isEmpty() ? null : key;
        }
        for (String name : KEY_HEADERS) {
            String apiKey = headers.getFirst(name);
            if (apiKey != null && !apiKey.isBlank()) {
                return apiKey.trim();
            }
        }
        return null;
    }

    /** The group the request is priced and routed in: the key's, if it names one, else the user's. */
    private static String group(KeyState key, UserState user) {
        // TODO(issue 5): a key's group must be re-checked against the user's allowed groups at use time (the user
        //  may have lost that group since the key was made); until allowed groups exist, the key's group is trusted.
        return key.group() != null ? key.group() : user.group();
    }

    /** Checked against the clock on every request, so a key's grace ends on time without another change event. */
    private Mono<KeyState> activeKey(Optional<KeyState> key) {
        Instant now = clock.instant();
        if (key.isPresent() && key.get().enabled() && !key.get().deleted() && !key.get().activeAt(now)) {
            return Mono.error(Rejection.of(Rejection.Kind.INVALID_API_KEY, EXPIRED));
        }
        if (key.isEmpty() || !key.get().activeAt(now)) {
            return Mono.error(Rejection.of(Rejection.Kind.INVALID_API_KEY, INCORRECT));
        }
        return Mono.just(key.get());
    }

    private Mono<Principal> withUser(KeyState key) {
        return snapshot.user(key.userId())
                .filter(UserState::enabled)
                .map(user -> new Principal(key, user, group(key, user)))
                .switchIfEmpty(Mono.error(() -> Rejection.of(Rejection.Kind.INVALID_API_KEY, INCORRECT)));
    }
}
