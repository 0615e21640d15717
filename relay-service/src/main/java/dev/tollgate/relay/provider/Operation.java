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
    IMAGE_GENERATIONS("images/generations", "/v1/images/generations"),
    /** Multipart upload in, text out; billed per audio second (or by the tokens gpt-4o-transcribe reports). */
    AUDIO_TRANSCRIPTIONS("audio/transcriptions", "/v1/audio/transcriptions"),
    AUDIO_TRANSLATIONS("audio/translations", "/v1/audio/translations"),
    /** JSON in, audio bytes out (streamed to the client as they come). */
    AUDIO_SPEECH("audio/speech", "/v1/audio/speech");

    private final String path;
    private final String route;

    Operation(String path, String route) {
        this.path = path;
        this.route = route;
    }

    /** An upload of an audio file as multipart/form-data. */
    public boolean audioUpload() {
        return this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS;
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
