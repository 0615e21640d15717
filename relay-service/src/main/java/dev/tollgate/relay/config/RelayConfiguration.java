package dev.tollgate.relay.config;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.contracts.tracing.TracingSettings;
import dev.tollgate.relay.admission.AdmissionGate;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.ChatPipeline;
import dev.tollgate.relay.api.RequestIdFilter;
import dev.tollgate.relay.api.anthropic.AnthropicCountTokensHandler;
import dev.tollgate.relay.api.anthropic.AnthropicDialect;
import dev.tollgate.relay.api.anthropic.AnthropicErrorWriter;
import dev.tollgate.relay.api.anthropic.AnthropicModelsHandler;
import dev.tollgate.relay.api.gemini.GeminiContentHandler;
import dev.tollgate.relay.api.gemini.GeminiErrorWriter;
import dev.tollgate.relay.api.gemini.GeminiModelsHandler;
import dev.tollgate.relay.api.openai.FormUploadReader;
import dev.tollgate.relay.api.openai.UploadMemory;
import dev.tollgate.relay.api.openai.ImageEditsRequestValidator;
import dev.tollgate.relay.api.openai.OpenAiImageEditsDialect;
import dev.tollgate.relay.api.openai.OpenAiCompletionsDialect;
import dev.tollgate.relay.api.openai.OpenAiSpeechDialect;
import dev.tollgate.relay.api.openai.OpenAiTranscriptionsDialect;
import dev.tollgate.relay.api.openai.TranscriptionRequestValidator;
import dev.tollgate.relay.api.openai.OpenAiDialect;
import dev.tollgate.relay.api.openai.OpenAiEmbeddingsDialect;
import dev.tollgate.relay.api.openai.OpenAiImagesDialect;
import dev.tollgate.relay.api.openai.OpenAiModerationsDialect;
import dev.tollgate.relay.api.openai.OpenAiRerankDialect;
import dev.tollgate.relay.api.openai.OpenAiResponsesDialect;
import dev.tollgate.relay.api.openai.ResponsesStoreHandler;
import dev.tollgate.relay.api.openai.OpenAiErrorWriter;
import dev.tollgate.relay.api.openai.OpenAiModelsHandler;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.capture.BodyCaptures;
import dev.tollgate.relay.capture.PassThroughReaders;
import dev.tollgate.relay.limits.PeerCounts;
import dev.tollgate.relay.limits.RateLimiter;
import dev.tollgate.relay.limits.RateShare;
import dev.tollgate.relay.metering.ApiObservations;
import dev.tollgate.relay.metering.RelayMetrics;
import dev.tollgate.relay.metering.UsagePublisher;
import dev.tollgate.relay.metering.UsageRecorder;
import dev.tollgate.relay.metering.UsageSink;
import dev.tollgate.relay.metering.spool.SpoolHealthIndicator;
import dev.tollgate.relay.metering.spool.SpoolMetrics;
import dev.tollgate.relay.metering.spool.SpoolSender;
import dev.tollgate.relay.metering.spool.SpoolingUsageSink;
import dev.tollgate.relay.metering.spool.UsageProducers;
import dev.tollgate.relay.metering.spool.UsageSpool;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.provider.anthropic.AnthropicAdapter;
import dev.tollgate.relay.provider.azure.AzureAdapter;
import dev.tollgate.relay.provider.bedrock.BedrockAdapter;
import dev.tollgate.relay.provider.bedrock.BedrockClients;
import dev.tollgate.relay.provider.gemini.GeminiAdapter;
import dev.tollgate.relay.provider.gemini.VertexTokens;
import dev.tollgate.relay.provider.openai.OpenAiAdapter;
import dev.tollgate.relay.routing.ChannelDisabler;
import dev.tollgate.relay.routing.ChannelHealth;
import dev.tollgate.relay.routing.ChannelRouter;
import dev.tollgate.relay.routing.CircuitBreakerChannelHealth;
import dev.tollgate.relay.routing.Failover;
import dev.tollgate.relay.tracing.RelayTracing;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.relay.snapshot.ChangeFollower;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.SnapshotHealthIndicator;
import dev.tollgate.relay.snapshot.SnapshotLoader;
import dev.tollgate.relay.snapshot.SnapshotMetrics;
import dev.tollgate.relay.snapshot.SnapshotRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.ChannelOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Wires the relay's stages; each is a plain class, constructed here. */
@Configuration(proxyBeanMethods = false)
public class RelayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RelayConfiguration.class);
    /** Whole (non-streamed) upstream answers are buffered; this bounds one. */
    private static final int MAX_UPSTREAM_BODY = 64 * 1024 * 1024;
    private static final Duration SPOOL_FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration SPOOL_MAX_BACKOFF = Duration.ofSeconds(10);
    /** Output limit sent to upstreams that require one (Anthropic, Bedrock) when the client gave none. */
    private static final long DEFAULT_MAX_TOKENS = 4096;
    private static final String ANTHROPIC_VERSION = "anthropic-version";

    @Bean
    String relayId(RelayProperties properties) {
        String id = RelayIds.resolve(properties.id());
        log.info("Relay id: {}", id);
        return id;
    }

    @Bean
    Topics topics(RelayProperties properties) {
        return new Topics(properties.topicPrefix());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PendingCharges pendingCharges() {
        return new PendingCharges();
    }

    @Bean
    SnapshotRepository snapshotRepository(DatabaseClient databaseClient) {
        return new SnapshotRepository(databaseClient);
    }

    @Bean
    RelaySnapshot relaySnapshot(SnapshotRepository repository, RelayProperties properties, String relayId,
            PendingCharges pendingCharges, @Value("${tollgate.relay.master-key-id:k1}") String masterKeyId,
            @Value("${tollgate.relay.master-keys-old:}") String oldMasterKeys) {
        SecretBox secretBox = null;
        if (properties.masterKey() == null || properties.masterKey().isBlank()) {
            log.warn("TOLLGATE_MASTER_KEY is not set: channels with an encrypted key cannot be used");
        } else {
            secretBox = SecretBox.fromConfig(properties.masterKey(), masterKeyId, oldMasterKeys);
        }
        return new RelaySnapshot(repository, secretBox, relayId, pendingCharges, properties.keyCacheSize(),
                properties.userCacheSize(), properties.unknownKeyTtl());
    }

    @Bean(destroyMethod = "")
    ChangeFollower changeFollower(RelayProperties properties, Topics topics, String relayId, RelaySnapshot snapshot) {
        return ChangeFollower.kafka(properties.kafkaBootstrap(), properties.kafkaAuth(), topics.changes(), relayId,
                snapshot);
    }

    @Bean
    SnapshotLoader snapshotLoader(RelaySnapshot snapshot, ChangeFollower follower) {
        return new SnapshotLoader(snapshot, follower);
    }

    @Bean
    SnapshotHealthIndicator snapshotHealthIndicator(RelaySnapshot snapshot, ChangeFollower follower,
            SnapshotLoader loader) {
        return new SnapshotHealthIndicator(snapshot, follower, loader);
    }

    @Bean
    SpoolingUsageSink usageSink(RelayProperties properties, Topics topics, String relayId) {
        RelayProperties.Spool config = properties.spool();
        UsageSpool spool = UsageSpool.open(spoolDir(config, relayId), config.maxBytes().toBytes(),
                config.segmentBytes().toBytes());
        SpoolSender sender = new SpoolSender(spool, UsageProducers.kafka(properties.kafkaBootstrap(), properties.kafkaAuth(), relayId),
                topics.usage(), SPOOL_FIRST_BACKOFF, SPOOL_MAX_BACKOFF);
        return new SpoolingUsageSink(spool, sender, config.forceEvery(), config.forceRecords());
    }

    private static Path spoolDir(RelayProperties.Spool config, String relayId) {
        if (config.dir() != null && !config.dir().isBlank()) {
            return Path.of(config.dir());
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tollgate-spool", relayId);
        log.warn("TOLLGATE_SPOOL_DIR is not set: usage events not yet in Kafka are spooled to {}, a temporary"
                + " directory that may not survive a reboot", dir);
        return dir;
    }

    @Bean
    SpoolHealthIndicator usageHealthIndicator(SpoolingUsageSink sink) {
        return new SpoolHealthIndicator(sink);
    }

    @Bean
    MeterBinder usageSpoolMetrics(SpoolingUsageSink sink) {
        return registry -> SpoolMetrics.register(registry, sink);
    }

    @Bean
    MeterBinder snapshotMetrics(RelaySnapshot snapshot, ChangeFollower follower) {
        return registry -> SnapshotMetrics.register(registry, snapshot, follower);
    }

    /** Request metrics; a model is a label only when some channel names it exactly (a bounded set). */
    /** The API paths skip the framework's request observation unless tracing is on (see {@link TracingSettings}). */
    @Bean
    ApiObservations apiObservations(@Value("${" + TracingSettings.ENDPOINT + ":}") String otlpEndpoint,
            @Value("${" + TracingSettings.FORCED + ":false}") boolean tracingForced) {
        return new ApiObservations(!otlpEndpoint.isBlank() || tracingForced);
    }

    @Bean
    RelayMetrics relayMetrics(MeterRegistry meterRegistry, RelaySnapshot snapshot) {
        return new RelayMetrics(meterRegistry, model -> servedExactly(snapshot, model));
    }

    private static boolean servedExactly(RelaySnapshot snapshot, String model) {
        for (Channel channel : snapshot.channels()) {
            if (channel.models().contains(model)) {
                return true;
            }
        }
        return false;
    }

    @Bean
    UsagePublisher usagePublisher(UsageSink sink, PendingCharges pendingCharges, RelayMetrics relayMetrics) {
        return new UsagePublisher(sink, pendingCharges, relayMetrics);
    }

    @Bean
    UsageRecorder usageRecorder(String relayId, UsagePublisher publisher, PendingCharges pendingCharges,
            RelayMetrics relayMetrics) {
        return new UsageRecorder(relayId, publisher, pendingCharges, relayMetrics);
    }

    /** One pooled Reactor Netty client for every upstream. */
    @Bean
    WebClient upstreamWebClient(RelayProperties properties) {
        ConnectionProvider pool = ConnectionProvider.builder("tollgate-upstream")
                .maxConnections(2000)
                .pendingAcquireMaxCount(-1)
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.upstreamTimeout());
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_UPSTREAM_BODY))
                .build();
    }

    @Bean(destroyMethod = "close")
    BedrockClients bedrockClients(RelayProperties properties) {
        return new BedrockClients(properties.connectTimeout(), properties.upstreamTimeout());
    }

    /** Vertex AI access tokens, one cached per service-account channel. */
    @Bean
    VertexTokens vertexTokens(WebClient upstreamWebClient, Clock clock) {
        return new VertexTokens(upstreamWebClient, clock);
    }

    @Bean
    ProviderAdapters providerAdapters(WebClient upstreamWebClient, BedrockClients bedrockClients,
            VertexTokens vertexTokens) {
        return new ProviderAdapters(List.of(
                new OpenAiAdapter(upstreamWebClient),
                new AzureAdapter(upstreamWebClient),
                new AnthropicAdapter(upstreamWebClient, DEFAULT_MAX_TOKENS),
                new BedrockAdapter(bedrockClients),
                new GeminiAdapter(upstreamWebClient, vertexTokens)));
    }

    @Bean
    KeyAuthenticator keyAuthenticator(RelaySnapshot snapshot, Clock clock) {
        return new KeyAuthenticator(snapshot, clock);
    }

    @Bean
    ChannelRouter channelRouter(RelaySnapshot snapshot, ProviderAdapters adapters, ChannelHealth channelHealth) {
        return new ChannelRouter(snapshot, adapters, channelHealth);
    }

    @Bean
    CircuitBreakerChannelHealth channelHealth(RelayProperties properties, Clock clock, MeterRegistry meterRegistry) {
        CircuitBreakerChannelHealth health = new CircuitBreakerChannelHealth(properties.routing(), clock);
        health.bindMetrics(meterRegistry);
        return health;
    }

    @Bean(destroyMethod = "close")
    ChannelDisabler channelDisabler(RelayProperties properties, Topics topics, String relayId) {
        return ChannelDisabler.kafka(properties.kafkaBootstrap(), properties.kafkaAuth(), topics.commands(), relayId);
    }

    /** Off (no-op) unless TOLLGATE_OTLP_ENDPOINT turned Micrometer Tracing on (see {@code TracingSwitch}). */
    @Bean
    RelayTracing relayTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return RelayTracing.of(tracer.getIfAvailable(), propagator.getIfAvailable());
    }

    @Bean
    Failover failover(ProviderAdapters adapters, ChannelHealth channelHealth, ChannelDisabler channelDisabler,
            RelayProperties properties, Clock clock, RelayTracing relayTracing) {
        RelayProperties.Routing routing = properties.routing();
        return new Failover(adapters, channelHealth, channelDisabler::report, routing.maxAttempts(),
                routing.budget(), clock, relayTracing);
    }

    @Bean
    AdmissionGate admissionGate(RelaySnapshot snapshot, PendingCharges pendingCharges, SpoolingUsageSink sink) {
        return new AdmissionGate(snapshot, pendingCharges, sink::full);
    }

    @Bean
    OpenAiErrorWriter openAiErrorWriter() {
        return new OpenAiErrorWriter();
    }

    @Bean
    AnthropicErrorWriter anthropicErrorWriter() {
        return new AnthropicErrorWriter();
    }

    @Bean
    GeminiErrorWriter geminiErrorWriter() {
        return new GeminiErrorWriter();
    }

    @Bean
    PeerCounts peerCounts(String relayId, RelayProperties properties) {
        return new PeerCounts(relayId, properties.rateLimits().peerTimeout());
    }

    @Bean
    RateLimiter rateLimiter(RelaySnapshot snapshot, PeerCounts peerCounts, Clock clock) {
        return new RateLimiter(snapshot, peerCounts, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    RateShare rateShare(RelayProperties properties, Topics topics, String relayId, RateLimiter rateLimiter,
            PeerCounts peerCounts, Clock clock) {
        return RateShare.kafka(properties.kafkaBootstrap(), properties.kafkaAuth(), topics.rateLimits(), relayId,
                rateLimiter, peerCounts, properties.rateLimits().shareInterval(), clock);
    }

    @Bean
    ClientAddress clientAddress(RelayProperties properties) {
        return new ClientAddress(properties.trustedProxies());
    }

    /** Body capture for keys that ask for it: the cap, and how each dialect's pass-through streams are read back. */
    @Bean
    BodyCaptures bodyCaptures(RelayProperties properties) {
        return new BodyCaptures(properties.capture().maxBytes(), PassThroughReaders.all());
    }

    @Bean
    ChatPipeline chatPipeline(KeyAuthenticator authenticator, ClientAddress clientAddress, RateLimiter rateLimiter,
            ChannelRouter router, AdmissionGate admission, Failover failover, UsageRecorder usageRecorder,
            BodyCaptures bodyCaptures, RelayProperties properties, RelayTracing relayTracing) {
        long max = properties.maxBodyBytes().toBytes();
        return new ChatPipeline(authenticator, clientAddress, rateLimiter, router, admission, failover, usageRecorder,
                bodyCaptures, (int) Math.min(max, Integer.MAX_VALUE), properties.routing().heartbeat(), relayTracing);
    }

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    /** The bound on upload bytes held at once; a filter too, giving each exchange's room back when it ends. */
    @Bean
    UploadMemory uploadMemory(RelayProperties properties) {
        return properties.maxUploadMemory() == null ? UploadMemory.quarterOfHeap()
                : new UploadMemory(properties.maxUploadMemory().toBytes());
    }

    @Bean
    OpenAiModelsHandler openAiModelsHandler(KeyAuthenticator authenticator, ClientAddress clientAddress,
            ChannelRouter router, OpenAiErrorWriter errors) {
        return new OpenAiModelsHandler(authenticator, clientAddress, router, errors);
    }

    /**
     * The relay's paths (DESIGN.md "Routes"). Anthropic's and OpenAI's APIs share {@code /v1}: where a path is
     * common ({@code /v1/models}, unknown paths) the {@code anthropic-version} header every Anthropic SDK sends
     * picks the dialect of the answer. Gemini's API lives under {@code /v1beta}, apart from both.
     */
    @Bean
    RouterFunction<ServerResponse> relayRoutes(ChatPipeline pipeline, OpenAiModelsHandler openAiModels,
            OpenAiErrorWriter openAiErrors, AnthropicErrorWriter anthropicErrors, GeminiErrorWriter geminiErrors,
            KeyAuthenticator authenticator, ClientAddress clientAddress, ChannelRouter router,
            RelayProperties properties, ProviderAdapters adapters, UploadMemory uploadMemory) {
        OpenAiDialect openAi = new OpenAiDialect(openAiErrors);
        OpenAiEmbeddingsDialect embeddings = new OpenAiEmbeddingsDialect(openAiErrors);
        OpenAiCompletionsDialect completions = new OpenAiCompletionsDialect(openAiErrors);
        OpenAiModerationsDialect moderations = new OpenAiModerationsDialect(openAiErrors);
        OpenAiRerankDialect rerank = new OpenAiRerankDialect(openAiErrors);
        OpenAiImagesDialect images = new OpenAiImagesDialect(openAiErrors);
        FormUploadReader uploads = new FormUploadReader(FormUploadReader.Limits.oneFile(
                TranscriptionRequestValidator.FILE, properties.maxAudioBytes().toBytes(), "the audio file"),
                uploadMemory);
        OpenAiImageEditsDialect imageEdits = new OpenAiImageEditsDialect(openAiErrors, new FormUploadReader(
                new FormUploadReader.Limits(ImageEditsRequestValidator.FILE_PARTS,
                        ImageEditsRequestValidator.MAX_IMAGES + 1, properties.maxImageBytes().toBytes(),
                        properties.maxImageUploadBytes().toBytes(), "each image"), uploadMemory));
        OpenAiTranscriptionsDialect transcriptions = new OpenAiTranscriptionsDialect(openAiErrors,
                Operation.AUDIO_TRANSCRIPTIONS, uploads);
        OpenAiTranscriptionsDialect translations = new OpenAiTranscriptionsDialect(openAiErrors,
                Operation.AUDIO_TRANSLATIONS, uploads);
        OpenAiSpeechDialect speech = new OpenAiSpeechDialect(openAiErrors);
        AnthropicDialect anthropic = new AnthropicDialect(anthropicErrors);
        AnthropicCountTokensHandler countTokens = new AnthropicCountTokensHandler(authenticator, clientAddress, router, pipeline,
                anthropicErrors);
        AnthropicModelsHandler anthropicModels = new AnthropicModelsHandler(authenticator, clientAddress, router,
                anthropicErrors);
        GeminiContentHandler gemini = new GeminiContentHandler(pipeline, authenticator, clientAddress, router,
                geminiErrors);
        GeminiModelsHandler geminiModels = new GeminiModelsHandler(authenticator, clientAddress, router, geminiErrors);
        ResponsesStoreHandler storedResponses = new ResponsesStoreHandler(authenticator, clientAddress, router,
                adapters, openAiErrors);
        RequestPredicate anthropicClient = RequestPredicates.headers(h -> !h.header(ANTHROPIC_VERSION).isEmpty());
        return RouterFunctions.route()
                .POST("/v1/chat/completions", request -> pipeline.handle(request, openAi))
                .POST("/v1/embeddings", request -> pipeline.handle(request, embeddings))
                .POST("/v1/completions", request -> pipeline.handle(request, completions))
                // Per request: a Responses answer echoes its request's settings.
                .POST("/v1/responses", request -> pipeline.handle(request, new OpenAiResponsesDialect(openAiErrors)))
                // A stored response's own calls go to the channel that made it (native Responses channels only).
                .GET("/v1/responses/{id}/input_items", storedResponses::inputItems)
                .POST("/v1/responses/{id}/cancel", storedResponses::cancel)
                .GET("/v1/responses/{id}", storedResponses::retrieve)
                .DELETE("/v1/responses/{id}", storedResponses::delete)
                .POST("/v1/moderations", request -> pipeline.handle(request, moderations))
                .POST("/v1/rerank", request -> pipeline.handle(request, rerank))
                .POST("/v1/images/generations", request -> pipeline.handle(request, images))
                .POST("/v1/images/edits", request -> pipeline.handle(request, imageEdits))
                .POST("/v1/audio/transcriptions", request -> pipeline.handle(request, transcriptions))
                .POST("/v1/audio/translations", request -> pipeline.handle(request, translations))
                .POST("/v1/audio/speech", request -> pipeline.handle(request, speech))
                .POST("/v1/messages", request -> pipeline.handle(request, anthropic))
                .POST("/v1/messages/count_tokens", countTokens::handle)
                .GET("/v1/models", anthropicClient, anthropicModels::handle)
                .GET("/v1/models", openAiModels::handle)
                .GET("/v1/models/{model}", anthropicClient, anthropicModels::get)
                .GET("/v1/models/{model}", openAiModels::get)
                .POST("/v1beta/models/{target}", gemini::handle)
                .GET("/v1beta/models", geminiModels::list)
                .GET("/v1beta/models/{model}", geminiModels::get)
                .route(RequestPredicates.path("/v1beta/**"), geminiErrors::unknownUrl)
                .route(RequestPredicates.path("/v1/**").and(anthropicClient), anthropicErrors::unknownUrl)
                .route(RequestPredicates.path("/v1/**"), openAiErrors::unknownUrl)
                .build();
    }
}
