package dev.tollgate.contracts.upstream;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Where a channel's Azure OpenAI resource answers, for the relay's calls and for probes alike. Two surfaces:
 * <ul>
 * <li>dated {@code api-version}s: {@code {root}/openai/deployments/{deployment}/chat/completions?api-version=…},
 * the deployment in the path (the body's model is ignored by Azure);</li>
 * <li>the v1 API (from August 2025; {@code config.apiVersion} {@code v1}, {@code latest} or {@code preview}, or a
 * base URL ending in {@code /openai/v1}): {@code {root}/openai/v1/chat/completions}, the deployment name as the
 * body's {@code model} and no {@code api-version} (but for {@code preview}).</li>
 * </ul>
 * Pure.
 *
 * @param root       the resource endpoint without a trailing {@code /openai…} ({@code https://x.openai.azure.com})
 * @param apiVersion the dated version, or {@code v1}, {@code latest} or {@code preview}
 */
public record AzureOpenAi(String root, String apiVersion) {

    /** The current GA dated version, used when the channel names none. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    /**
     * Dated versions from this one on take {@code stream_options} and {@code max_completion_tokens} (both arrived
     * with 2024-09-01-preview; older ones refuse {@code stream_options} as an unknown parameter).
     */
    static final String FIRST_MODERN_VERSION = "2024-09-01";
    /** The Responses API arrived on the dated surface with 2025-03-01-preview. */
    static final String FIRST_RESPONSES_VERSION = "2025-03-01";

    /** From a channel's base URL (the resource endpoint, with or without {@code /openai} or {@code /openai/v1}). */
    public static AzureOpenAi of(String baseUrl, Map<String, Object> config) {
        String base = baseUrl == null ? "" : baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String version = configString(config, "apiVersion");
        if (base.endsWith("/openai/v1")) {
            base = base.substring(0, base.length() - "/openai/v1".length());
            if (version == null) {
                version = "v1";
            }
        } else if (base.endsWith("/openai")) {
            base = base.substring(0, base.length() - "/openai".length());
        }
        return new AzureOpenAi(base, version == null ? DEFAULT_API_VERSION : version);
    }

    /** The v1 surface (model in the body) rather than a dated one (deployment in the path). */
    public boolean v1() {
        String version = apiVersion.toLowerCase(Locale.ROOT);
        return version.equals("v1") || version.equals("latest") || version.equals("preview");
    }

    /** The chat completions URL for one deployment. */
    public String chatUrl(String deployment) {
        return url(deployment, "chat/completions");
    }

    /** The URL of one of a deployment's endpoints ({@code chat/completions}, {@code embeddings} …). */
    public String url(String deployment, String path) {
        if (v1()) {
            return root + "/openai/v1/" + path + previewQuery();
        }
        return root + "/openai/deployments/" + encode(deployment) + "/" + path + "?api-version="
                + encode(apiVersion);
    }

    /**
     * The Responses API's URL: {@code {root}/openai/v1/responses} on the v1 surface, else
     * {@code {root}/openai/responses?api-version=…} (not per deployment: the body's model names it).
     */
    public String responsesUrl() {
        return v1() ? root + "/openai/v1/responses" + previewQuery()
                : root + "/openai/responses?api-version=" + encode(apiVersion);
    }

    /** Whether this surface serves the Responses API: v1, or a dated version from 2025-03-01-preview on. */
    public boolean servesResponses() {
        return v1() || apiVersion.compareTo(FIRST_RESPONSES_VERSION) >= 0;
    }

    /** The resource's model listing. */
    public String modelsUrl() {
        return v1() ? root + "/openai/v1/models" + previewQuery()
                : root + "/openai/models?api-version=" + encode(apiVersion);
    }

    /** Whether this surface takes {@code stream_options.include_usage} and {@code max_completion_tokens}. */
    public boolean modern() {
        return v1() || apiVersion.compareTo(FIRST_MODERN_VERSION) >= 0;
    }

    /**
     * The deployment serving a model: {@code config.deployments} by the upstream model name (after the channel's
     * model mapping), else by the name the client asked for, else the upstream model name itself.
     */
    public static String deployment(Map<String, Object> config, String upstreamModel, String askedModel) {
        Object deployments = config == null ? null : config.get("deployments");
        if (deployments instanceof Map<?, ?> map) {
            for (String name : new String[] {upstreamModel, askedModel}) {
                Object deployment = name == null ? null : map.get(name);
                if (deployment != null && !deployment.toString().isBlank()) {
                    return deployment.toString().strip();
                }
            }
        }
        return upstreamModel;
    }

    private String previewQuery() {
        return apiVersion.equalsIgnoreCase("preview") ? "?api-version=preview" : "";
    }

    private static String configString(Map<String, Object> config, String name) {
        Object value = config == null ? null : config.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString().strip();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
