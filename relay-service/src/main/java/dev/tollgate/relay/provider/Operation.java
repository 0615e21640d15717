package dev.tollgate.relay.provider;

/**
 * Which OpenAI-family endpoint a call is for. Chat and embeddings have an internal model (and so a translation to
 * other dialects; Responses reaches chat's); the others pass through to servers of the OpenAI wire family alone.
 */
public enum Operation {

    CHAT("chat/completions", "/v1/chat/completions"),
    /**
     * OpenAI's Responses API: passed through to channels that serve it natively ({@code ProviderAdapter
     * #passesThrough}), translated to chat for the others.
     */
    RESPONSES("responses", "/v1/responses"),
    /** The legacy text completions. */
    COMPLETIONS("completions", "/v1/completions"),
    EMBEDDINGS("embeddings", "/v1/embeddings"),
    MODERATIONS("moderations", "/v1/moderations"),
    IMAGE_GENERATIONS("images/generations", "/v1/images/generations"),
    /** Multipart upload of one or more images (and a mask) in, images out; billed like generations. */
    IMAGE_EDITS("images/edits", "/v1/images/edits"),
    /** Multipart upload in, text out; billed per audio second (or by the tokens gpt-4o-transcribe reports). */
    AUDIO_TRANSCRIPTIONS("audio/transcriptions", "/v1/audio/transcriptions"),
    AUDIO_TRANSLATIONS("audio/translations", "/v1/audio/translations"),
    /** JSON in, audio bytes out (streamed to the client as they come). */
    AUDIO_SPEECH("audio/speech", "/v1/audio/speech"),
    /** Cohere/Jina-shaped document reranking, served only by servers whose preset (or channel config) offers it. */
    RERANK("rerank", "/v1/rerank");

    private final String path;
    private final String route;

    Operation(String path, String route) {
        this.path = path;
        this.route = route;
    }

    /** A request of this endpoint can reach a channel of another dialect through the internal chat model. */
    public boolean translatable() {
        return this == CHAT || this == RESPONSES;
    }

    /** An upload of an audio file as multipart/form-data. */
    public boolean audioUpload() {
        return this == AUDIO_TRANSCRIPTIONS || this == AUDIO_TRANSLATIONS;
    }

    /** A multipart/form-data upload (audio or images), re-encoded for the channel. */
    public boolean upload() {
        return audioUpload() || this == IMAGE_EDITS;
    }

    /** Billed per image the answer holds ({@code n} images reserved), plus any tokens it reports. */
    public boolean perImage() {
        return this == IMAGE_GENERATIONS || this == IMAGE_EDITS;
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
