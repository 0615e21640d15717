package dev.tollgate.relay.provider;

/**
 * Which OpenAI-family endpoint a call is for. Only chat has an internal model (and so a translation to other
 * dialects); the others pass through to servers of the OpenAI wire family alone.
 */
public enum Operation {

    CHAT("chat/completions", "/v1/chat/completions"),
    /** The legacy text completions. */
    COMPLETIONS("completions", "/v1/completions"),
    EMBEDDINGS("embeddings", "/v1/embeddings"),
    MODERATIONS("moderations", "/v1/moderations"),
    IMAGE_GENERATIONS("images/generations", "/v1/images/generations");

    private final String path;
    private final String route;

    Operation(String path, String route) {
        this.path = path;
        this.route = route;
    }

    /** The path under an OpenAI-compatible base URL ({@code …/v1}) or an Azure deployment. */
    public String path() {
        return path;
    }

    /** The relay's own route, as clients know it. */
    public String route() {
        return route;
    }
}
