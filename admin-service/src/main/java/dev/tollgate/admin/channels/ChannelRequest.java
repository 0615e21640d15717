package dev.tollgate.admin.channels;

import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.upstream.GoogleServiceAccount;
import dev.tollgate.contracts.upstream.ProviderDefaults;
import dev.tollgate.contracts.upstream.VertexAi;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of a channel create (required fields enforced) or patch (every field optional). {@code tags}: labels to
 * find and switch channels by; a patch's list replaces them ({@code []} removes them).
 */
public record ChannelRequest(String name, String provider, String baseUrl, String apiKey, Map<String, Object> config,
        List<String> models, Map<String, String> modelMapping, List<String> groups, Integer priority, Integer weight,
        Boolean enabled, List<String> tags) {

    public static final List<String> DEFAULT_GROUPS = List.of("default");
    static final int MAX_TAGS = 20;
    /** Lower-case letters, digits and {@code - _ . :}, so a tag reads the same in a URL and a chip. */
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,31}");

    /** A channel without tags. */
    public ChannelRequest(String name, String provider, String baseUrl, String apiKey, Map<String, Object> config,
            List<String> models, Map<String, String> modelMapping, List<String> groups, Integer priority,
            Integer weight, Boolean enabled) {
        this(name, provider, baseUrl, apiKey, config, models, modelMapping, groups, priority, weight, enabled, null);
    }

    /** A tag as given in a filter or a list; invalid ones answer 400 naming {@code field}. */
    static String checkTag(String field, String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw ApiException.invalid(field, "tags are 1 to 32 of a-z, 0-9 and - _ . : (starting with a letter or digit)");
        }
        return tag;
    }

    public ChannelRequest validateForCreate() {
        if (name == null) {
            throw ApiException.invalid("name", "is required");
        }
        if (provider == null) {
            throw ApiException.invalid("provider", "is required");
        }
        if (baseUrl == null || baseUrl.isBlank() && !hasDefaultBaseUrl(provider)) {
            throw ApiException.invalid("baseUrl", "is required");
        }
        if (models == null || models.isEmpty()) {
            throw ApiException.invalid("models", "name at least one model");
        }
        return validate();
    }

    public ChannelRequest validate() {
        if (name != null && (name.isBlank() || name.length() > 128)) {
            throw ApiException.invalid("name", "1 to 128 characters");
        }
        if (provider != null && !Providers.isKnown(provider)) {
            throw ApiException.invalid("provider", "one of " + String.join(", ", Providers.ALL.stream().sorted().toList()));
        }
        // Blank: the provider's own default (DESIGN "Admin API"), e.g. https://api.deepseek.com for deepseek.
        if (baseUrl != null && !baseUrl.isBlank() && !isHttpUrl(baseUrl)) {
            throw ApiException.invalid("baseUrl", "an http(s) URL");
        }
        if (apiKey != null && apiKey.length() > 8192) {
            throw ApiException.invalid("apiKey", "at most 8192 characters");
        }
        if (config != null) {
            config.keySet().stream()
                    .filter(ChannelRequest::looksSecret)
                    .findFirst()
                    .ifPresent(k -> {
                        throw ApiException.invalid("config." + k, "secrets belong in apiKey, which is encrypted");
                    });
        }
        if ("gemini".equals(provider)) {
            validateVertex();
        }
        if (models != null && models.stream().anyMatch(m -> m == null || m.isBlank() || m.length() > 128)) {
            throw ApiException.invalid("models", "model names of 1 to 128 characters");
        }
        if (modelMapping != null && modelMapping.values().stream().anyMatch(v -> v == null || v.isBlank())) {
            throw ApiException.invalid("modelMapping", "every model must map to a name");
        }
        if (groups != null) {
            if (groups.isEmpty()) {
                throw ApiException.invalid("groups", "name at least one group");
            }
            groups.forEach(UserRequests::checkGroup);
        }
        if (weight != null && weight < 0) {
            throw ApiException.invalid("weight", "must not be negative");
        }
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                throw ApiException.invalid("tags", "at most " + MAX_TAGS);
            }
            tags.forEach(t -> checkTag("tags", t));
        }
        return this;
    }

    /**
     * A Vertex AI channel's key, when it is a JSON key, must be a usable service-account key (the relay could not
     * buy a token with anything else), and its project and location plain identifiers (they go into the URL path).
     */
    private void validateVertex() {
        if (GoogleServiceAccount.looksLikeJsonKey(apiKey)) {
            try {
                GoogleServiceAccount.parse(apiKey);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("apiKey", e.getMessage());
            }
        }
        if (config != null && VertexAi.isVertex(config, null)) {
            try {
                VertexAi.of(null, config, null);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("config", e.getMessage());
            }
        }
    }

    public boolean isEmpty() {
        return name == null && provider == null && baseUrl == null && apiKey == null && config == null
                && models == null && modelMapping == null && groups == null && priority == null && weight == null
                && enabled == null && tags == null;
    }

    /** Providers that work with a blank base URL: those with a default one, and Bedrock (its region decides). */
    private static boolean hasDefaultBaseUrl(String provider) {
        return ProviderDefaults.baseUrl(provider) != null || "bedrock".equals(provider);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.equals("apikey") || k.equals("api_key")
                || k.contains("sessiontoken") || k.contains("session_token");
    }

    @Override
    public String toString() {
        return "ChannelRequest[name=" + name + ", provider=" + provider + ", baseUrl=" + baseUrl + "]";
    }
}
