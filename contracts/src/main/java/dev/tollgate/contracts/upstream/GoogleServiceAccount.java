package dev.tollgate.contracts.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.contracts.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Google service-account JSON key (what the Cloud console downloads), and the OAuth 2.0 JWT-bearer exchange it
 * is used for: a JWT signed RS256 with the account's private key, posted to the key's {@code token_uri}, buys an
 * access token for {@link #CLOUD_PLATFORM}. Pure: no I/O here (the relay posts with its WebClient, the probe with
 * {@code java.net.http}). {@link #toString()} leaves the private key out; so does every message here.
 *
 * @param clientEmail  the account ({@code client_email}): the JWT's issuer
 * @param privateKeyId {@code private_key_id}, sent as the JWT's {@code kid} (may be null)
 * @param tokenUri     where the JWT is exchanged ({@code token_uri}, Google's by default)
 * @param projectId    {@code project_id}: a Vertex channel's project when its config names none (may be null)
 */
public record GoogleServiceAccount(String clientEmail, String privateKeyId, RSAPrivateKey privateKey, String tokenUri,
        String projectId) {

    public static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    /** The longest assertion Google accepts. */
    static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    /** True when a channel key is a JSON object (a service-account key) rather than an API key. */
    public static boolean looksLikeJsonKey(String apiKey) {
        if (apiKey == null) {
            return false;
        }
        // Read on every call of a channel: look at the first visible character, copy nothing.
        for (int i = 0; i < apiKey.length(); i++) {
            char c = apiKey.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    /**
     * Reads a service-account JSON key.
     *
     * @throws IllegalArgumentException saying what is missing or malformed (never quoting the key)
     */
    public static GoogleServiceAccount parse(String json) {
        JsonNode tree;
        try {
            tree = json == null ? null : Json.mapper().readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the service account key is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the service account key is not a JSON object");
        }
        String type = text(tree, "type");
        if (type != null && !"service_account".equals(type)) {
            throw new IllegalArgumentException("the key's type is \"" + type + "\", not \"service_account\"");
        }
        String email = text(tree, "client_email");
        if (email == null) {
            throw new IllegalArgumentException("the service account key has no client_email");
        }
        String pem = text(tree, "private_key");
        if (pem == null) {
            throw new IllegalArgumentException("the service account key has no private_key");
        }
        String tokenUri = text(tree, "token_uri");
        if (tokenUri == null) {
            tokenUri = DEFAULT_TOKEN_URI;
        } else if (!isHttpUrl(tokenUri)) {
            throw new IllegalArgumentException("the service account key's token_uri is not an http(s) URL");
        }
        return new GoogleServiceAccount(email, text(tree, "private_key_id"), privateKey(pem), tokenUri,
                text(tree, "project_id"));
    }

    /** The signed JWT to exchange, valid from {@code now} for an hour. */
    public String assertion(Instant now) {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
        if (privateKeyId != null) {
            header.keyID(privateKeyId);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientEmail)
                .audience(tokenUri)
                .claim("scope", CLOUD_PLATFORM)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(privateKey));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the service account's private key cannot sign: " + e.getMessage());
        }
        return jwt.serialize();
    }

    /** The form body of the token request ({@code application/x-www-form-urlencoded}). */
    public String tokenRequestBody(Instant now) {
        return "grant_type=" + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion(now), StandardCharsets.UTF_8);
    }

    /**
     * The access token in a token endpoint's success answer, expiring {@code expires_in} seconds after
     * {@code now}.
     *
     * @throws IllegalArgumentException when the answer holds no token
     */
    public static AccessToken readToken(byte[] body, Instant now) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the token endpoint's answer is not JSON");
        }
        String token = text(tree, "access_token");
        if (token == null) {
            throw new IllegalArgumentException("the token endpoint's answer has no access_token");
        }
        long seconds = tree.path("expires_in").asLong(3_600);
        return new AccessToken(token, now.plusSeconds(Math.max(0, seconds)), now);
    }

    /**
     * The OAuth error of a token endpoint's refusal ({@code error}, then {@code error_description}), short and
     * free of anything the request carried; null when the body says nothing readable.
     */
    public static String refusalReason(byte[] body) {
        try {
            JsonNode tree = Json.mapper().readTree(body);
            String error = text(tree, "error");
            String description = text(tree, "error_description");
            if (error == null) {
                return description;
            }
            String reason = description == null ? error : error + ": " + description;
            return reason.length() > 200 ? reason.substring(0, 200) : reason;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An access token and when it stops working. {@link #toString()} leaves the token out.
     *
     * @param issuedAt when it was obtained (its lifetime decides how early it is refreshed)
     */
    public record AccessToken(String value, Instant expiresAt, Instant issuedAt) {

        public Duration lifetime() {
            return Duration.between(issuedAt, expiresAt);
        }

        @Override
        public String toString() {
            return "AccessToken[expiresAt=" + expiresAt + "]";
        }
    }

    @Override
    public String toString() {
        return "GoogleServiceAccount[clientEmail=" + clientEmail + ", tokenUri=" + tokenUri + "]";
    }

    private static RSAPrivateKey privateKey(String pem) {
        // Google's keys are PKCS#8 ("BEGIN PRIVATE KEY"); the JDK reads those once the armour is gone.
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replace("\\n", "")
                .replaceAll("\\s+", "");
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("the service account's private_key is not an unencrypted PKCS#8 key");
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the service account's private_key is not a readable RSA key");
        }
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.path(field);
        if (!node.isString()) {
            return null;
        }
        String value = node.asString().strip();
        return value.isEmpty() ? null : value;
    }
}
