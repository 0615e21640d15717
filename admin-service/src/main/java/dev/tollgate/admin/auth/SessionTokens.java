package dev.tollgate.admin.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Session tokens: JWT HS256, {@code sub} = user id, {@code role}, {@code exp}. The HMAC key is the
 * SHA-256 of the secret text, so any secret length gives a full 256-bit key.
 */
public final class SessionTokens {

    private static final String ROLE_CLAIM = "role";

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public SessionTokens(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("session secret must not be empty");
        }
        this.key = sha256(secret);
        this.ttl = ttl;
        this.clock = clock;
    }

    public String issue(long userId, Role role) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(Long.toString(userId))
                .claim(ROLE_CLAIM, role.wireName())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign session token", e);
        }
        return jwt.serialize();
    }

    /** The caller named by a valid, unexpired token of ours; empty for anything else. */
    public Optional<Caller> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(key))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp == null || !clock.instant().isBefore(exp.toInstant())) {
                return Optional.empty();
            }
            long userId = Long.parseLong(claims.getSubject());
            return Role.fromWire(claims.getStringClaim(ROLE_CLAIM)).map(role -> new Caller(userId, role));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public Duration ttl() {
        return ttl;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
