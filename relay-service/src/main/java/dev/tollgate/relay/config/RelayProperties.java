package dev.tollgate.relay.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The relay's own settings ({@code tollgate.relay.*}); environment variables are mapped in application.yml.
 *
 * @param id               this relay's id in usage events; blank = host name + random suffix
 * @param masterKey        decrypts channel keys (TOLLGATE_MASTER_KEY)
 * @param topicPrefix      prefix of every topic name (tests isolate themselves with it)
 * @param kafkaBootstrap   the Kafka cluster for usage events and the changes topic
 * @param maxBodyBytes     request bodies above this are refused with 413
 * @param maxAudioBytes    an uploaded audio file (transcriptions, translations) above this is refused with 413
 * @param keyCacheSize     customer keys held in memory at most
 * @param userCacheSize    users (balances) held in memory at most
 * @param unknownKeyTtl    how long an unknown key hash is remembered as unknown
 * @param upstreamTimeout  longest wait for the upstream's first byte (and between reads)
 * @param connectTimeout   TCP connect timeout towards upstreams
 * @param spool            the local usage spool (TOLLGATE_SPOOL_DIR and {@code tollgate.relay.spool.*})
 * @param routing          channel health for failover ({@code tollgate.relay.routing.*})
 * @param trustedProxies   CIDR blocks of the proxies whose {@code X-Forwarded-For} is believed (TOLLGATE_TRUSTED_PROXIES,
 *                         comma-separated); empty: the socket peer is the client
 * @param rateLimits       how relays share their rate-limit counts ({@code tollgate.relay.rate-limits.*})
 * @param kafkaAuth        how to authenticate to Kafka (TOLLGATE_KAFKA_AUTH): {@code none} or {@code msk-iam}
 * @param capture          the bodies kept for keys that capture them ({@code tollgate.relay.capture.*})
 * @param maxImageBytes    an image (or mask) uploaded to {@code /v1/images/edits} above this is refused with 413
 * @param maxImageUploadBytes all files of one image edit together above this are refused with 413 (the relay holds
 *                         them in memory while the request runs)
 * @param maxUploadMemory  upload bytes held in memory at once by all requests (beyond it a 503); unset: a quarter
 *                         of the heap
 */
@ConfigurationProperties("tollgate.relay")
public record RelayProperties(
        String id,
        String masterKey,
        String topicPrefix,
        @DefaultValue("127.0.0.1:9092") String kafkaBootstrap,
        @DefaultValue("10MB") DataSize maxBodyBytes,
        @DefaultValue("1000000") long keyCacheSize,
        @DefaultValue("1000000") long userCacheSize,
        @DefaultValue("30s") Duration unknownKeyTtl,
        @DefaultValue("300s") Duration upstreamTimeout,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue Spool spool,
        @DefaultValue Routing routing,
        List<String> trustedProxies,
        @DefaultValue RateLimits rateLimits,
        @DefaultValue("none") String kafkaAuth,
        @DefaultValue Capture capture,
        @DefaultValue("25MB") DataSize maxAudioBytes,
        @DefaultValue("50MB") DataSize maxImageBytes,
        @DefaultValue("64MB") DataSize maxImageUploadBytes,
        DataSize maxUploadMemory) {

    /**
     * @param dir          where segments live; blank = {@code ${java.io.tmpdir}/tollgate-spool/<relayId>}
     * @param maxBytes     usage not yet in Kafka, at most; at the bound new requests are refused with 503
     * @param segmentBytes one segment file's size before a new one starts
     * @param forceEvery   group commit: the longest an appended event waits for {@code fsync}
     * @param forceRecords group commit: or after this many events
     */
    public record Spool(
            String dir,
            @DefaultValue("1GB") DataSize maxBytes,
            @DefaultValue("64MB") DataSize segmentBytes,
            @DefaultValue("50ms") Duration forceEvery,
            @DefaultValue("512") long forceRecords) {
    }

    /**
     * @param breaker     the circuit breaker each channel has
     * @param cooldown    how long a 429 without Retry-After cools the channel down for its model
     * @param maxCooldown the longest cooldown, whatever Retry-After asks
     * @param maxAttempts failover: channels tried per request at most
     * @param budget      failover: no new attempt once this long has passed since the request began
     * @param heartbeat   a keep-alive frame on streams this often (zero: none)
     */
    public record Routing(
            @DefaultValue Breaker breaker,
            @DefaultValue("0s") Duration cooldown,
            @DefaultValue("5m") Duration maxCooldown,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("60s") Duration budget,
            @DefaultValue("15s") Duration heartbeat) {

        /**
         * Count-based: the last {@code slidingWindow} attempts, once there are {@code minimumCalls} of them, open
         * the breaker at {@code failureRatePercent} failures; it stays open {@code waitInOpen}, then lets
         * {@code halfOpenCalls} probes through and closes, or opens again, on their failure rate.
         */
        public record Breaker(
                @DefaultValue("20") int slidingWindow,
                @DefaultValue("5") int minimumCalls,
                @DefaultValue("50") float failureRatePercent,
                @DefaultValue("30s") Duration waitInOpen,
                @DefaultValue("2") int halfOpenCalls) {
        }
    }

    /**
     * @param shareInterval how often a relay publishes its window counts (TOLLGATE_RATE_SHARE_INTERVAL); the
     *                      overshoot of a limit grows with it (docs/accounting.md, "Rate limits")
     * @param peerTimeout   a relay not heard from for this long no longer counts (TOLLGATE_RATE_PEER_TIMEOUT)
     */
    public record RateLimits(
            @DefaultValue("1s") Duration shareInterval,
            @DefaultValue("5s") Duration peerTimeout) {
    }

    /**
     * @param maxBytes each captured body (request, response) is cut to this many UTF-8 bytes
     *                 (TOLLGATE_CAPTURE_MAX_BYTES). At most 64 KiB: two bodies, even JSON-escaped at worst (×6),
     *                 keep a usage event under the producer's 1 MiB {@code max.request.size}.
     */
    public record Capture(@DefaultValue("16384") int maxBytes) {

        public static final int MAX = 64 * 1024;

        public Capture {
            if (maxBytes < 1 || maxBytes > MAX) {
                throw new IllegalArgumentException("tollgate.relay.capture.max-bytes must be 1 to " + MAX + ": "
                        + maxBytes);
            }
        }
    }
}
