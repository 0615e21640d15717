package dev.tollgate.contracts.upstream;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a Vertex AI {@code gemini} channel's calls go, for the relay and the probes alike. A {@code gemini} channel
 * is a Vertex one when its config names {@code project} or {@code location}, says {@code vertex: true}, or its key
 * is a service-account JSON key (see {@link #isVertex}). Then:
 * <ul>
 * <li>{@code {root}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent}
 * (and {@code :streamGenerateContent?alt=sse}), the root being {@code https://{location}-aiplatform.googleapis.com}
 * ({@code https://aiplatform.googleapis.com} for {@code global});</li>
 * <li>without a project (Vertex "express mode" with an API key):
 * {@code {root}/v1/publishers/google/models/{model}:generateContent}.</li>
 * </ul>
 * Embeddings go to the same model URLs with {@code :predict} ({@link #predictUrl}).
 * The project defaults to the service account's {@code project_id}, the location to {@value #DEFAULT_LOCATION}. A
 * channel base URL other than AI Studio's replaces the root (a private endpoint, a stand-in). Pure.
 *
 * @param root     scheme, host and port (and any path prefix of a private endpoint), without a trailing slash
 * @param project  the Google Cloud project, or null for express mode
 * @param location the region ({@code us-central1}) or {@code global}
 */
public record VertexAi(String root, String project, String location) {

    public static final String PROJECT = "project";
    public static final String LOCATION = "location";
    public static final String VERTEX = "vertex";
    public static final String DEFAULT_LOCATION = "global";
    static final String AI_STUDIO_HOST = "generativelanguage.googleapis.com";

    /** Project ids, numbers and the old domain-scoped {@code example.com:project} form; nothing that leaves a path. */
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9][a-z0-9.:-]{0,127}");
    private static final Pattern LOCATION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** True when a {@code gemini} channel with this config and key is served by Vertex AI rather than AI Studio. */
    public static boolean isVertex(Map<String, Object> config, String apiKey) {
        return !isBlank(configString(config, PROJECT)) || !isBlank(configString(config, LOCATION))
                || "true".equalsIgnoreCase(configString(config, VERTEX))
                || GoogleServiceAccount.looksLikeJsonKey(apiKey);
    }

    /**
     * @param baseUrl        the channel's base URL: blank or AI Studio's means Google's Vertex endpoint
     * @param fallbackProject the service account's {@code project_id}, used when the config names no project
     * @throws IllegalArgumentException when the project or location is not a plain identifier, or the base URL is
     *                                  not an absolute http(s) URL
     */
    public static VertexAi of(String baseUrl, Map<String, Object> config, String fallbackProject) {
        String project = configString(config, PROJECT);
        if (isBlank(project)) {
            project = fallbackProject;
        }
        project = isBlank(project) ? null : project.strip().toLowerCase(Locale.ROOT);
        if (project != null && !PROJECT_ID.matcher(project).matches()) {
            throw new IllegalArgumentException("config.project is not a Google Cloud project id");
        }
        String location = configString(config, LOCATION);
        location = isBlank(location) ? DEFAULT_LOCATION : location.strip().toLowerCase(Locale.ROOT);
        if (!LOCATION_ID.matcher(location).matches()) {
            throw new IllegalArgumentException("config.location is not a Google Cloud location");
        }
        String root = override(baseUrl);
        return new VertexAi(root != null ? root : defaultRoot(location), project, location);
    }

    /** Google's endpoint for a location: regional, or the global one. */
    public static String defaultRoot(String location) {
        return DEFAULT_LOCATION.equals(location) ? "https://aiplatform.googleapis.com"
                : "https://" + location + "-aiplatform.googleapis.com";
    }

    /** Express mode: an API key, no project in the path. */
    public boolean express() {
        return project == null;
    }

    /** {@code :generateContent}, or {@code :streamGenerateContent?alt=sse}, for the model (with or without {@code models/}). */
    public String generateUrl(String model, boolean stream) {
        return modelUrl(model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    /** {@code :predict} for the model: where Vertex's text-embedding models take their {@code instances}. */
    public String predictUrl(String model) {
        return modelUrl(model) + ":predict";
    }

    /**
     * Model Garden's list of Google's publisher models, {@code {root}/v1beta1/publishers/google/models}, one page
     * (of the largest size Google serves) from {@code pageToken} (null for the first).
     */
    public String publisherModelsUrl(String pageToken) {
        return root + "/v1beta1/publishers/google/models?pageSize=1000&listAllVersions=false"
                + (pageToken == null || pageToken.isBlank() ? ""
                        : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
    }

    /** The model's resource URL, without a method. */
    public String modelUrl(String model) {
        String name = model.strip();
        for (String prefix : new String[] {"publishers/google/models/", "models/"}) {
            if (name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
        }
        String publisher = express() ? "/v1/publishers/google/models/"
                : "/v1/projects/" + project + "/locations/" + location + "/publishers/google/models/";
        return root + publisher + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The channel's own root, or null when it names none (blank, or AI Studio's, which a form may prefill). */
    private static String override(String baseUrl) {
        if (isBlank(baseUrl)) {
            return null;
        }
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the channel's base URL is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("the channel's base URL is not an absolute http(s) URL");
        }
        if (AI_STUDIO_HOST.equalsIgnoreCase(uri.getHost())) {
            return null;
        }
        for (String suffix : new String[] {"/v1beta1", "/v1"}) {
            if (base.endsWith(suffix)) {
                return base.substring(0, base.length() - suffix.length());
            }
        }
        return base;
    }

    private static String configString(Map<String, Object> config, String name) {
        Object value = config == null ? null : config.get(name);
        return value == null ? null : value.toString();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
