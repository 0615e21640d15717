package dev.tollgate.simulator.vertex;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.gemini.GeminiHandler;
import dev.tollgate.simulator.scenario.ChatExchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Vertex AI as Google serves it, for Gemini models: {@code POST /v1/projects/{p}/locations/{l}/publishers/google/
 * models/{model}:generateContent} and {@code :streamGenerateContent} (answered by {@link GeminiHandler}: Vertex
 * speaks the same JSON), which take only a bearer token this stand-in issued and that has not expired; the express-
 * mode paths {@code /v1/publishers/google/models/{model}:…}, which take an API key ({@code x-goog-api-key} or
 * {@code ?key=}); {@code :predict} for embeddings (by {@link GeminiHandler} too); Model Garden's paged model list
 * {@code GET /v1beta1/publishers/google/models}; and Google's OAuth token endpoint {@code POST /token}, which trades a JWT-bearer assertion
 * (RS256, signed by a service account it trusts, {@code aud} this endpoint, not expired, scope
 * {@code cloud-platform}) for a token living {@link #tokenLifetime(Duration)} (an hour by default).
 * {@link #newServiceAccount(String)} (or {@code POST /_sim/vertex/service-accounts}) makes a key pair, trusts its
 * public half, and answers the JSON key a channel is given.
 */
public final class VertexHandler {

    static final String TOKEN_PATH = "/token";
    static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String MODELS = "/publishers/google/models/{target}";
    static final String PUBLISHER_MODELS = "/v1beta1/publishers/google/models";

    private final SimulatorState state;
    private final ObjectMapper json;
    private final GeminiHandler gemini;
    private final Supplier<String> tokenUri;
    private final Clock clock;
    private final Map<String, RSAPublicKey> trusted = new ConcurrentHashMap<>();
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong assertionsRefused = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile String latestToken;
    private volatile int maxPageSize = 100;

    /** @param tokenUri this simulator's token endpoint URL (known once the server is bound) */
    public VertexHandler(SimulatorState state, ObjectMapper json, GeminiHandler gemini, Supplier<String> tokenUri,
            Clock clock) {
        this.state = state;
        this.json = json;
        this.gemini = gemini;
        this.tokenUri = tokenUri;
        this.clock = clock;
    }

    public void register(HttpServerRoutes routes) {
        routes.post(TOKEN_PATH, this::token)
                .post("/_sim/vertex/service-accounts", this::createServiceAccount)
                .post("/v1/projects/{project}/locations/{location}" + MODELS, this::projectModel)
                .post("/v1" + MODELS, this::expressModel)
                .get(PUBLISHER_MODELS, this::publisherModels);
    }

    // ---- the test's handles ----

    /**
     * A new service account this endpoint trusts: its JSON key (PKCS#8 private key, {@code token_uri} pointing
     * here), as the Cloud console downloads it.
     */
    public String newServiceAccount(String clientEmail) {
        return newServiceAccount(clientEmail, tokenUri.get());
    }

    private String newServiceAccount(String clientEmail, String tokenEndpoint) {
        KeyPair pair = keyPair();
        trusted.put(clientEmail, (RSAPublicKey) pair.getPublic());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = json.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", projectOf(clientEmail));
        key.put("private_key_id", HexFormat.of().formatHex(randomBytes(20)));
        key.put("private_key", pem);
        key.put("client_email", clientEmail);
        key.put("client_id", Long.toString(Math.abs(random.nextLong())));
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", tokenEndpoint);
        key.put("universe_domain", "googleapis.com");
        return json.writeValueAsString(key);
    }

    /** How long tokens issued from now on live (short ones let a test see a refresh). */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** The most publisher models one page of the list holds, whatever {@code pageSize} asks (a test sees paging). */
    public void maxPageSize(int size) {
        this.maxPageSize = Math.max(1, size);
    }

    /** Back to hour-long tokens, pages of 100 and zero counts; trusted accounts and issued tokens stay valid. */
    public void reset() {
        tokenLifetime = Duration.ofHours(1);
        maxPageSize = 100;
        tokensIssued.set(0);
        assertionsRefused.set(0);
    }

    /** Tokens issued since start (or the last reset). */
    public long tokensIssued() {
        return tokensIssued.get();
    }

    /** Assertions refused (bad signature, unknown account, wrong audience, expired …) since start. */
    public long assertionsRefused() {
        return assertionsRefused.get();
    }

    /** Makes every token issued so far invalid before its time (Vertex then answers 401 to them). */
    public void revokeAll() {
        issued.clear();
    }

    /** The token issued last, or null. */
    public String latestToken() {
        return latestToken;
    }

    /** True once a token this endpoint issued has expired (or when it never issued it). */
    public boolean expired(String token) {
        Instant until = issued.get(token);
        return until == null || !clock.instant().isBefore(until);
    }

    // ---- the token endpoint ----

    private Publisher<Void> token(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(form -> answerToken(response, form, endpointUrl(request)));
    }

    /** This endpoint's URL as the caller addressed it: what the assertion's {@code aud} must name. */
    private static String endpointUrl(HttpServerRequest request) {
        String host = request.requestHeaders().get(HttpHeaderNames.HOST);
        return "http://" + host + TOKEN_PATH;
    }

    private Mono<Void> answerToken(HttpServerResponse response, String form, String audience) {
        Map<String, List<String>> fields = new QueryStringDecoder(form, StandardCharsets.UTF_8, false).parameters();
        if (!JWT_BEARER.equals(first(fields, "grant_type"))) {
            return oauthError(response, 400, "unsupported_grant_type", "Invalid grant_type: "
                    + first(fields, "grant_type"));
        }
        String refusal = refusal(first(fields, "assertion"), audience);
        if (refusal != null) {
            assertionsRefused.incrementAndGet();
            return oauthError(response, 400, "invalid_grant", refusal);
        }
        String token = "ya29.sim-" + HexFormat.of().formatHex(randomBytes(24));
        Duration lifetime = tokenLifetime;
        issued.put(token, clock.instant().plus(lifetime));
        latestToken = token;
        tokensIssued.incrementAndGet();
        ObjectNode body = json.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", Math.max(1, lifetime.toSeconds()));
        body.put("token_type", "Bearer");
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body));
    }

    /** What Google would say against the assertion, or null when it holds. */
    private String refusal(String assertion, String audience) {
        if (assertion == null || assertion.isBlank()) {
            return "Missing required parameter: assertion";
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return "Invalid JWT Signature.";
        }
        RSAPublicKey key = claims.getIssuer() == null ? null : trusted.get(claims.getIssuer());
        if (key == null) {
            return "Invalid grant: account not found";
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key))) {
                return "Invalid JWT Signature.";
            }
        } catch (JOSEException e) {
            return "Invalid JWT Signature.";
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            return "Invalid JWT: Failed audience check.";
        }
        Date expires = claims.getExpirationTime();
        Date issuedAt = claims.getIssueTime();
        Instant now = clock.instant();
        if (expires == null || issuedAt == null || !now.isBefore(expires.toInstant())
                || issuedAt.toInstant().isAfter(now.plusSeconds(300))
                || Duration.between(issuedAt.toInstant(), expires.toInstant()).compareTo(Duration.ofHours(1)) > 0) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    + "Check your iat and exp values in the JWT claim.";
        }
        Object scope = claims.getClaim("scope");
        if (scope == null || !List.of(scope.toString().split(" ")).contains(CLOUD_PLATFORM)) {
            return "Invalid OAuth scope or ID token audience provided.";
        }
        return null;
    }

    private Publisher<Void> createServiceAccount(HttpServerRequest request, HttpServerResponse response) {
        String email = new QueryStringDecoder(request.uri()).parameters()
                .getOrDefault("email", List.of("tollgate-sim@sim-project.iam.gserviceaccount.com")).get(0);
        // Named as this caller reaches the simulator (another container may know it as http://simulator:8090).
        String uri = endpointUrl(request);
        return request.receive()
                .then(Mono.defer(() -> SimulatorHttp.sendJson(response, 200, newServiceAccount(email, uri))));
    }

    // ---- the model methods ----

    private Publisher<Void> projectModel(HttpServerRequest request, HttpServerResponse response) {
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // Vertex also takes an express-mode key on a project's path.
            return apiKey(request) != null ? gemini.action(request, response) : unauthenticated(request, response);
        }
        String token = authorization.substring(7).strip();
        if (expired(token)) {
            return unauthenticated(request, response);
        }
        return gemini.action(request, response);
    }

    /**
     * Model Garden's publisher model list, {@code GET /v1beta1/publishers/google/models?pageSize=&pageToken=}:
     * {@code {"publisherModels":[{"name":"publishers/google/models/{id}", …}],"nextPageToken":"…"}}, the simulator's
     * models in pages (the token is the next index), to a valid bearer token or an API key.
     */
    private Publisher<Void> publisherModels(HttpServerRequest request, HttpServerResponse response) {
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !expired(authorization.substring(7).strip());
        if (!bearer && apiKey(request) == null) {
            return unauthenticated(request, response);
        }
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        List<String> models = state.config().models();
        int from = parseOr(first(query, "pageToken"), 0);
        int size = Math.min(parseOr(first(query, "pageSize"), 100), maxPageSize);
        from = Math.min(Math.max(from, 0), models.size());
        int to = Math.min(models.size(), from + Math.max(size, 1));
        ObjectNode body = json.createObjectNode();
        ArrayNode list = body.putArray("publisherModels");
        for (String id : models.subList(from, to)) {
            ObjectNode model = list.addObject();
            model.put("name", "publishers/google/models/" + id);
            model.put("versionId", "001");
            model.put("openSourceCategory", "PROPRIETARY");
            model.put("launchStage", "GA");
        }
        if (to < models.size()) {
            body.put("nextPageToken", Integer.toString(to));
        }
        return ChatExchange.receive(state, request)
                .then(Mono.defer(() -> SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body))));
    }

    private static int parseOr(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Publisher<Void> expressModel(HttpServerRequest request, HttpServerResponse response) {
        if (apiKey(request) == null) {
            return unauthenticated(request, response);
        }
        return gemini.action(request, response);
    }

    private static String apiKey(HttpServerRequest request) {
        String header = request.requestHeaders().get("x-goog-api-key");
        if (header != null && !header.isBlank()) {
            return header;
        }
        List<String> query = new QueryStringDecoder(request.uri()).parameters().get("key");
        return query == null || query.isEmpty() || query.get(0).isBlank() ? null : query.get(0);
    }

    /** Google's answer to a missing, unknown or expired token. */
    private Mono<Void> unauthenticated(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            ObjectNode body = json.createObjectNode();
            ObjectNode error = body.putObject("error");
            error.put("code", 401);
            error.put("message", "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                    + "login cookie or other valid authentication credential. See "
                    + "https://developers.google.com/identity/sign-in/web/devconsole-project.");
            error.put("status", "UNAUTHENTICATED");
            return SimulatorHttp.sendJson(response, 401, json.writeValueAsString(body));
        }));
    }

    private Mono<Void> oauthError(HttpServerResponse response, int status, String error, String description) {
        ObjectNode body = json.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String projectOf(String clientEmail) {
        int at = clientEmail.indexOf('@');
        String domain = at < 0 ? "" : clientEmail.substring(at + 1);
        int dot = domain.indexOf('.');
        return dot > 0 ? domain.substring(0, dot) : "sim-project";
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no RSA", e);
        }
    }
}
