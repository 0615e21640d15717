package dev.tollgate.contracts.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.tollgate.contracts.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GoogleServiceAccountTest {

    private static KeyPair pair;
    private static String pem;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pair = generator.generateKeyPair();
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void shouldSignAnAssertionGoogleCanVerifyWithTheAccountsPublicKey() throws Exception {
        GoogleServiceAccount account = GoogleServiceAccount.parse(json(Map.of()));
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        String form = account.tokenRequestBody(now);

        assertThat(form).startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
        SignedJWT jwt = SignedJWT.parse(URLDecoder.decode(form.substring(form.indexOf("assertion=") + 10),
                StandardCharsets.UTF_8));
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) pair.getPublic()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("kid-1");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("sa@proj.iam.gserviceaccount.com");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://oauth2.googleapis.com/token");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo(GoogleServiceAccount.CLOUD_PLATFORM);
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(now);
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plusSeconds(3600));
        assertThat(account.projectId()).isEqualTo("proj");
        assertThat(account.toString()).doesNotContain("PRIVATE").doesNotContain("kid-1");
    }

    @Test
    void shouldSayWhatIsWrongWithoutQuotingTheKey() {
        assertThatThrownBy(() -> GoogleServiceAccount.parse("{not json")).hasMessage(
                "the service account key is not valid JSON");
        assertThatThrownBy(() -> GoogleServiceAccount.parse(json(Map.of("private_key", "")))).hasMessage(
                "the service account key has no private_key");
        assertThatThrownBy(() -> GoogleServiceAccount.parse(json(Map.of("private_key", "-----BEGIN PRIVATE KEY-----"
                + "\nAAAAsecretish\n-----END PRIVATE KEY-----")))).hasMessage(
                "the service account's private_key is not a readable RSA key");
        assertThatThrownBy(() -> GoogleServiceAccount.parse(json(Map.of("token_uri", "file:///etc/passwd"))))
                .hasMessage("the service account key's token_uri is not an http(s) URL");
        assertThatThrownBy(() -> GoogleServiceAccount.parse(json(Map.of("type", "authorized_user"))))
                .hasMessageContaining("not \"service_account\"");
    }

    @Test
    void shouldTellAJsonKeyFromAnApiKey() {
        assertThat(GoogleServiceAccount.looksLikeJsonKey(" \n{\"type\":\"service_account\"}")).isTrue();
        assertThat(GoogleServiceAccount.looksLikeJsonKey("AIzaSy-studio-key")).isFalse();
        assertThat(GoogleServiceAccount.looksLikeJsonKey("   ")).isFalse();
        assertThat(GoogleServiceAccount.looksLikeJsonKey(null)).isFalse();
    }

    @Test
    void shouldReadTheTokenAndWhenItExpires() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        GoogleServiceAccount.AccessToken token = GoogleServiceAccount.readToken(
                "{\"access_token\":\"ya29.x\",\"expires_in\":3599,\"token_type\":\"Bearer\"}".getBytes(), now);

        assertThat(token.value()).isEqualTo("ya29.x");
        assertThat(token.expiresAt()).isEqualTo(now.plusSeconds(3599));
        assertThat(token.toString()).doesNotContain("ya29");
        assertThat(GoogleServiceAccount.refusalReason(
                "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}".getBytes()))
                .isEqualTo("invalid_grant: Invalid JWT Signature.");
    }

    private static String json(Map<String, String> overrides) {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "proj");
        key.put("private_key_id", "kid-1");
        key.put("private_key", pem);
        key.put("client_email", "sa@proj.iam.gserviceaccount.com");
        key.put("token_uri", "https://oauth2.googleapis.com/token");
        key.putAll(overrides);
        return Json.mapper().writeValueAsString(key);
    }
}
