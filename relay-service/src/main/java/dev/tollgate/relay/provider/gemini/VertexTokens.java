package dev.tollgate.relay.provider.gemini;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.upstream.GoogleServiceAccount;
import dev.tollgate.contracts.upstream.GoogleServiceAccount.AccessToken;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.UpstreamFailures;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Access tokens of Vertex AI channels with a service-account key: one cached token per channel, bought with a
 * signed JWT at the key's {@code token_uri} and bought again shortly before it expires (a fifth of its lifetime,
 * at most {@link #MAX_MARGIN}, ahead). One purchase at a time per channel: callers arriving while one is under
 * way wait for it instead of starting their own. A new channel version (a new key) starts afresh. A refusal of
 * the token endpoint comes out as {@link TokenRefused} carrying the {@link UpstreamResult.Refused} the failover
 * reads (401 for a key it refused, so the channel is switched off like any refused credentials); an unreachable
 * one as {@link UpstreamFailure.Unreachable}. Neither the key nor a token is ever logged.
 *
 * <p>The cache is bounded and forgets a channel not asked for during {@link #IDLE} (longer than any Google token
 * lives, so nothing still valid is lost): a deleted channel's key and token do not stay in the heap for good. A new
 * version replaces its channel's entry in place.
 */
public class VertexTokens {

    static final Duration MAX_MARGIN = Duration.ofMinutes(5);
    /** A token endpoint answers in well under a second; the upstream timeout (minutes, for slow models) is too long. */
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);
    /** Google's access tokens live an hour at most: a channel idle for longer has nothing worth keeping. */
    static final Duration IDLE = Duration.ofHours(1);
    /** Far above any real channel count; a bound all the same, since the keys are secrets held in memory. */
    static final long MAX_CHANNELS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(VertexTokens.class);
    private static final byte[] EMPTY = new byte[0];

    private final WebClient webClient;
    private final Clock clock;
    private final Cache<Long, Credentials> cache;
    private final ConcurrentMap<Long, Credentials> channels;

    public VertexTokens(WebClient webClient, Clock clock) {
        this.webClient = webClient;
        this.clock = clock;
        // Timed by the same clock as the tokens; evictions run on the caller's thread (they only drop a reference).
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_CHANNELS)
                .expireAfterAccess(IDLE)
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run)
                .build();
        this.channels = cache.asMap();
    }

    /**
     * The channel's service account, read once per channel version.
     *
     * @throws TokenRefused when the key is no usable service-account key
     */
    GoogleServiceAccount account(Channel channel) {
        Credentials credentials = credentials(channel);
        if (credentials.unusable() != null) {
            throw new TokenRefused(refusal(401, "UNAUTHENTICATED", "Vertex AI channel " + channel.id()
                    + " has an unusable service account key: " + credentials.unusable()));
        }
        return credentials.account();
    }

    /** A token valid for a while yet: the cached one, or a fresh one (bought once however many callers wait). */
    public Mono<String> token(Channel channel) {
        return Mono.defer(() -> {
            account(channel);
            Credentials credentials = credentials(channel);
            AccessToken current = credentials.current;
            if (current != null && fresh(current)) {
                return Mono.just(current.value());
            }
            return credentials.refresh(() -> buy(channel.id(), credentials.account()))
                    .map(AccessToken::value);
        });
    }

    /** Forgets {@code token} (Vertex refused it before its time): the next call buys another. */
    public void invalidate(Channel channel, String token) {
        Credentials credentials = channels.get(channel.id());
        AccessToken current = credentials == null ? null : credentials.current;
        if (current != null && current.value().equals(token)) {
            credentials.current = null;
        }
    }

    /** Channels whose key and token are held (for tests): expired entries swept first. */
    long cachedChannels() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Tokens bought so far for a channel (for tests). */
    long purchases(long channelId) {
        Credentials credentials = channels.get(channelId);
        return credentials == null ? 0 : credentials.purchases;
    }

    private boolean fresh(AccessToken token) {
        Duration fifth = token.lifetime().dividedBy(5);
        Duration margin = fifth.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : fifth;
        return clock.instant().isBefore(token.expiresAt().minus(margin));
    }

    private Credentials credentials(Channel channel) {
        Credentials known = channels.get(channel.id());
        if (known != null && known.version >= channel.version()) {
            return known;
        }
        return channels.compute(channel.id(), (id, old) ->
                old != null && old.version >= channel.version() ? old : Credentials.of(channel));
    }

    private Mono<AccessToken> buy(long channelId, GoogleServiceAccount account) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            // RS256 signing takes about a millisecond, once per token lifetime: not worth a thread hop.
            String form = account.tokenRequestBody(now);
            return webClient.post()
                    .uri(URI.create(account.tokenUri()))
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .bodyValue(form)
                    .exchangeToMono(response -> read(channelId, response, now));
        })
                .timeout(TOKEN_TIMEOUT)
                .onErrorMap(UpstreamFailures::isTransportFailure, e -> transportFailure(channelId, e));
    }

    private static UpstreamFailure transportFailure(long channelId, Throwable e) {
        String endpoint = "Vertex AI token endpoint of channel " + channelId;
        return UpstreamFailures.toFailure(e) instanceof UpstreamFailure.TimedOut
                ? new UpstreamFailure.TimedOut(endpoint + " did not answer in time", e)
                : new UpstreamFailure.Unreachable(endpoint + " unreachable: " + e.getClass().getSimpleName(), e);
    }

    private Mono<AccessToken> read(long channelId, ClientResponse response, Instant now) {
        int status = response.statusCode().value();
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(EMPTY)
                .map(body -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        try {
                            AccessToken token = GoogleServiceAccount.readToken(body, now);
                            LOG.info("Vertex AI token for channel {} obtained, valid until {}", channelId,
                                    token.expiresAt());
                            return token;
                        } catch (IllegalArgumentException e) {
                            throw new UpstreamFailure.Unreachable("Vertex AI token endpoint of channel " + channelId
                                    + ": " + e.getMessage(), null);
                        }
                    }
                    String reason = GoogleServiceAccount.refusalReason(body);
                    String message = "Vertex AI token endpoint refused channel " + channelId + "'s service account ("
                            + status + (reason == null ? "" : " " + reason) + ")";
                    LOG.warn(message);
                    // A refused assertion (400 invalid_grant, 401) is the key's fault; a busy endpoint is not.
                    boolean keyRefused = status >= 400 && status < 500 && status != 429 && status != 408;
                    throw new TokenRefused(keyRefused ? refusal(401, "UNAUTHENTICATED", message)
                            : refusal(503, "UNAVAILABLE", message));
                });
    }

    /** A Google-style error answer standing for the token endpoint's. */
    static UpstreamResult.Refused refusal(int status, String googleStatus, String message) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("status", googleStatus);
        return new UpstreamResult.Refused(status, MediaType.APPLICATION_JSON_VALUE,
                Json.mapper().writeValueAsBytes(body), null, message);
    }

    /** The token endpoint refused, or the key is unusable: carries the refusal the failover reads. */
    public static final class TokenRefused extends RuntimeException {

        private final transient UpstreamResult.Refused refusal;

        TokenRefused(UpstreamResult.Refused refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public UpstreamResult.Refused refusal() {
            return refusal;
        }
    }

    /** One channel version's key and token; {@code pending} is the purchase under way, shared by its waiters. */
    private static final class Credentials {

        final long version;
        final GoogleServiceAccount account;
        final String unusable;
        final AtomicReference<Mono<AccessToken>> pending = new AtomicReference<>();
        volatile AccessToken current;
        volatile long purchases;

        private Credentials(long version, GoogleServiceAccount account, String unusable) {
            this.version = version;
            this.account = account;
            this.unusable = unusable;
        }

        static Credentials of(Channel channel) {
            try {
                return new Credentials(channel.version(), GoogleServiceAccount.parse(channel.apiKey()), null);
            } catch (IllegalArgumentException e) {
                return new Credentials(channel.version(), null, e.getMessage());
            }
        }

        GoogleServiceAccount account() {
            return account;
        }

        String unusable() {
            return unusable;
        }

        /**
         * Joins the purchase under way, or starts one. {@code cache()} shares its one result with every waiter and
         * keeps it going when the first caller cancels; it is dropped from {@code pending} once done.
         */
        Mono<AccessToken> refresh(java.util.function.Supplier<Mono<AccessToken>> buy) {
            while (true) {
                Mono<AccessToken> running = pending.get();
                if (running != null) {
                    return running;
                }
                AtomicReference<Mono<AccessToken>> self = new AtomicReference<>();
                Mono<AccessToken> purchase = Mono.defer(buy)
                        .doOnSubscribe(subscription -> purchases++)
                        .doOnNext(token -> current = token)
                        .doFinally(signal -> pending.compareAndSet(self.get(), null))
                        .cache();
                self.set(purchase);
                if (pending.compareAndSet(null, purchase)) {
                    return purchase;
                }
            }
        }
    }
}
