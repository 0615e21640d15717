package dev.tollgate.relay.provider;

import dev.tollgate.relay.snapshot.Channel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import reactor.netty.http.client.HttpClientRequest;

/**
 * The per-channel request options in a channel's {@code config}: {@code headers} (extra headers sent upstream,
 * e.g. an OpenRouter {@code HTTP-Referer}) and {@code timeoutSeconds} (this channel's upstream timeout instead of
 * the relay's). Pure.
 */
public final class ChannelOptions {

    /** Headers a channel may not set: the adapter owns authentication, framing and the body's type. */
    private static final Set<String> RESERVED = Set.of("authorization", "x-api-key", "api-key", "x-goog-api-key",
            "content-length", "content-type", "host", "transfer-encoding", "connection");
    private static final long MAX_TIMEOUT_SECONDS = 3_600;
    /** Compiled once: the timeout is read on every call. */
    private static final Pattern SECONDS = Pattern.compile("\\d{1,5}");

    private ChannelOptions() {
    }

    /** The channel's extra headers, without reserved names or non-text values. */
    public static Map<String, String> extraHeaders(Channel channel) {
        Object value = channel.config().get("headers");
        Map<String, String> headers = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, header) -> {
                if (name instanceof String n && header != null && !(header instanceof Map)
                        && !(header instanceof Iterable) && !RESERVED.contains(n.toLowerCase(Locale.ROOT))
                        && !n.isBlank()) {
                    headers.put(n, header.toString());
                }
            });
        }
        return headers;
    }

    /** The channel's own upstream timeout, or {@code fallback} when it sets none (or nonsense). */
    public static Duration timeout(Channel channel, Duration fallback) {
        Object value = channel.config().get("timeoutSeconds");
        long seconds;
        if (value instanceof Number n) {
            seconds = n.longValue();
        } else if (value instanceof String s && SECONDS.matcher(s).matches()) {
            seconds = Long.parseLong(s);
        } else {
            return fallback;
        }
        return seconds < 1 || seconds > MAX_TIMEOUT_SECONDS ? fallback : Duration.ofSeconds(seconds);
    }

    /** Adds the channel's extra headers (after the adapter's own, which they cannot replace). */
    public static void addExtraHeaders(HttpHeaders headers, Channel channel) {
        extraHeaders(channel).forEach((name, value) -> {
            if (!headers.containsHeader(name)) {
                headers.set(name, value);
            }
        });
    }

    /** For {@code WebClient…httpRequest(…)}: the channel's own response timeout, when it sets one. */
    public static Consumer<ClientHttpRequest> responseTimeout(Channel channel) {
        Duration timeout = timeout(channel, null);
        return request -> {
            if (timeout != null && request.getNativeRequest() instanceof HttpClientRequest netty) {
                netty.responseTimeout(timeout);
            }
        };
    }
}
