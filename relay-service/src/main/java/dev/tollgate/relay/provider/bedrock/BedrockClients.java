package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.snapshot.Channel;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;

/**
 * One {@link BedrockRuntimeAsyncClient} per Bedrock channel, built from the channel's config and key, rebuilt when
 * the channel's version changes. All clients share one HTTP client (one connection pool), one executor completing
 * their futures and one scheduler, so a client is cheap, and closing a replaced one leaves calls still running on
 * it unharmed.
 *
 * <p>Channel config keys: {@code region} (default {@code us-east-1}); {@code accessKeyId} with the channel's key as
 * the secret access key ({@code secret:sessionToken} for temporary credentials); or {@code useDefaultCredentials:
 * true} for the SDK's default chain (an ECS task role); or, with no {@code accessKeyId}, One Hub's key form
 * {@code accessKeyId|secret|region}. A base URL other than the region's AWS endpoint (a VPC endpoint, a stand-in)
 * overrides the endpoint.
 */
public class BedrockClients implements AutoCloseable {

    public static final String DEFAULT_REGION = "us-east-1";
    static final String REGION = "region";
    static final String ACCESS_KEY_ID = "accessKeyId";
    static final String USE_DEFAULT_CREDENTIALS = "useDefaultCredentials";

    private static final Logger LOG = LoggerFactory.getLogger(BedrockClients.class);

    private final SdkAsyncHttpClient http;
    private final ExecutorService completions;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentHashMap<Long, Entry> clients = new ConcurrentHashMap<>();
    private final Object defaultCredentialsLock = new Object();
    private DefaultCredentialsProvider defaultCredentials;
    private volatile boolean closed;

    /**
     * @param connectTimeout TCP connect timeout towards Bedrock
     * @param readTimeout    longest wait for the first byte of an answer and between reads of a stream
     */
    public BedrockClients(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, 500);
    }

    /**
     * @param maxConcurrency connections to Bedrock at most, over all channels
     */
    public BedrockClients(Duration connectTimeout, Duration readTimeout, int maxConcurrency) {
        // HTTP/1.1 everywhere: a stand-in on http:// speaks no HTTP/2 (the SDK would try prior knowledge), and
        // Converse over TLS needs nothing more.
        this.http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP1_1)
                .maxConcurrency(maxConcurrency)
                .connectionTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .tcpKeepAlive(true)
                .build();
        int threads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(10_000), daemonThreads("bedrock-completion-"),
                new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        this.completions = executor;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("bedrock-scheduler-"));
    }

    /**
     * The client for a channel: the cached one while the channel's version is unchanged, else a new one (the old
     * one closed).
     *
     * @throws UpstreamFailure.Unreachable when the channel's config cannot make a client (no credentials, a bad
     *                                     region or base URL): the channel is unusable, another may serve
     */
    BedrockRuntimeAsyncClient clientFor(Channel channel) {
        if (closed) {
            throw new IllegalStateException("Bedrock clients are closed");
        }
        Entry current = clients.get(channel.id());
        if (current != null && current.version() >= channel.version()) {
            return current.client();
        }
        Entry[] replaced = new Entry[1];
        Entry entry = clients.compute(channel.id(), (id, old) -> {
            // An older snapshot of the channel still in flight uses the newer client: same channel, fresher config.
            if (old != null && old.version() >= channel.version()) {
                return old;
            }
            replaced[0] = old;
            return new Entry(channel.version(), build(channel));
        });
        if (replaced[0] != null) {
            replaced[0].client().close();
        }
        return entry.client();
    }

    /** Clients built so far (for tests and metrics). */
    int size() {
        return clients.size();
    }

    @Override
    public void close() {
        closed = true;
        for (Entry entry : clients.values()) {
            entry.client().close();
        }
        clients.clear();
        http.close();
        completions.shutdown();
        scheduler.shutdown();
        synchronized (defaultCredentialsLock) {
            if (defaultCredentials != null) {
                defaultCredentials.close();
            }
        }
    }

    private BedrockRuntimeAsyncClient build(Channel channel) {
        try {
            Region region = region(channel);
            BedrockRuntimeAsyncClientBuilder builder = BedrockRuntimeAsyncClient.builder()
                    .region(region)
                    .credentialsProvider(credentials(channel))
                    .httpClient(http)
                    .asyncConfiguration(async -> async.advancedOption(
                            SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, completions))
                    // The relay retries (on another channel, and never once bytes reached the client); the SDK
                    // would replay a broken stream into the same handler.
                    .overrideConfiguration(override -> override
                            .retryStrategy(AwsRetryStrategy.doNotRetry())
                            .scheduledExecutorService(scheduler));
            URI endpoint = endpoint(channel.baseUrl(), region);
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
            }
            LOG.info("Bedrock client for channel {} v{}: region {}, endpoint {}", channel.id(), channel.version(),
                    region.id(), endpoint == null ? "AWS" : endpoint);
            return builder.build();
        } catch (UpstreamFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpstreamFailure.Unreachable("Bedrock channel " + channel.id() + " is misconfigured: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    /** The channel's region: config {@code region}, else One Hub's third key part, else us-east-1. */
    static Region region(Channel channel) {
        String region = channel.configString(REGION);
        if (isBlank(region) && isBlank(channel.configString(ACCESS_KEY_ID)) && channel.apiKey() != null) {
            String[] parts = channel.apiKey().split("\\|", -1);
            region = parts.length >= 3 ? parts[2] : null;
        }
        return Region.of(isBlank(region) ? DEFAULT_REGION : region.trim().toLowerCase(Locale.ROOT));
    }

    AwsCredentialsProvider credentials(Channel channel) {
        if (Boolean.parseBoolean(channel.configString(USE_DEFAULT_CREDENTIALS))) {
            return defaultCredentials();
        }
        return StaticCredentialsProvider.create(staticCredentials(channel));
    }

    /** The channel's own credentials; the secret comes only from its (decrypted) key and is never logged. */
    static AwsCredentials staticCredentials(Channel channel) {
        String accessKeyId = channel.configString(ACCESS_KEY_ID);
        String secret = channel.apiKey() == null ? "" : channel.apiKey().trim();
        if (isBlank(accessKeyId)) {
            String[] parts = secret.split("\\|", -1);
            if (parts.length < 2 || isBlank(parts[0]) || isBlank(parts[1])) {
                throw new UpstreamFailure.Unreachable("Bedrock channel " + channel.id()
                        + " has no credentials: set config accessKeyId (or useDefaultCredentials)", null);
            }
            accessKeyId = parts[0];
            secret = parts[1];
        }
        if (secret.isEmpty()) {
            throw new UpstreamFailure.Unreachable("Bedrock channel " + channel.id() + " has no secret access key",
                    null);
        }
        // Secret access keys are base64 and never contain ':', so one marks a session token after it.
        int colon = secret.indexOf(':');
        if (colon >= 0) {
            return AwsSessionCredentials.create(accessKeyId.trim(), secret.substring(0, colon),
                    secret.substring(colon + 1));
        }
        return AwsBasicCredentials.create(accessKeyId.trim(), secret);
    }

    /** The endpoint to call instead of the region's own, or null for AWS's. */
    static URI endpoint(String baseUrl, Region region) {
        if (isBlank(baseUrl)) {
            return null;
        }
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri = URI.create(trimmed);
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("base URL without scheme or host");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String regional = "bedrock-runtime." + region.id() + ".amazonaws.com";
        boolean awsDefault = "https".equalsIgnoreCase(uri.getScheme()) && uri.getPort() < 0
                && (uri.getPath() == null || uri.getPath().isEmpty())
                && (host.equals(regional) || host.equals(regional + ".cn"));
        return awsDefault ? null : uri;
    }

    private AwsCredentialsProvider defaultCredentials() {
        synchronized (defaultCredentialsLock) {
            if (defaultCredentials == null) {
                defaultCredentials = DefaultCredentialsProvider.builder().build();
            }
            return defaultCredentials;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Entry(long version, BedrockRuntimeAsyncClient client) {
    }
}
