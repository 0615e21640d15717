package dev.tollgate.admin.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens: JWT HS256, {@code sub} = user id, {@code role}, {@code exp}, {@code jti} (so one session can be
 * revoked) and {@code cred}, a keyed digest of the password hash at sign-in: a password change makes every earlier
 * token refuse without any write. The HMAC key is the SHA-256 of the secret text, so any secret length gives a
 * full 256-bit key. {@code iat_ms} is the issue time in milliseconds ({@code iat} has whole seconds only), compared
 * with a user's "sessions valid after" time, so a token re-issued just after that time is not mistaken for an earlier
 * one.
 */
public final class SessionTokens {

    private static final String ROLE_CLAIM = "role";
    private static final String CREDENTIAL_CLAIM = "cred";
    private static final String ISSUED_MILLIS_CLAIM = "iat_ms";

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

    /** A token for a user whose password hash is {@code passwordHash} now. */
    public String issue(long userId, Role role, String passwordHash) {
        return issue(userId, role, passwordHash, null);
    }

    /**
     * A token issued after {@code endedBefore} (null: now), so it outlives the user's sessions ended at that time even
     * when this clock reads the same millisecond.
     */
    public String issue(long userId, Role role, String passwordHash, Instant endedBefore) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (endedBefore != null && !now.isAfter(endedBefore)) {
            now = endedBefore.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(Long.toString(userId))
                .claim(ROLE_CLAIM, role.wireName())
                .claim(CREDENTIAL_CLAIM, credentialDigest(passwordHash))
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .claim(ISSUED_MILLIS_CLAIM, now.toEpochMilli())
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

    /** A verified session: who, which token, when it was issued, until when, and for which password. */
    public record Session(Caller caller, String id, Instant issuedAt, Instant expiresAt, String credential) {
    }

    /** The caller named by a valid, unexpired token of ours; empty for anything else. */
    public Optional<Caller> verify(String token) {
        return verifySession(token).map(Session::caller);
    }

    /** A valid, unexpired token of ours with every claim we issue; empty for anything else. */
    public Optional<Session> verifySession(String token) {
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
            String id = claims.getJWTID();
            String credential = claims.getStringClaim(CREDENTIAL_CLAIM);
            if (exp == null || !clock.instant().isBefore(exp.toInstant()) || id == null || credential == null) {
                return Optional.empty();
            }
            long userId = Long.parseLong(claims.getSubject());
            Instant issuedAt = issuedAt(claims);
            return Role.fromWire(claims.getStringClaim(ROLE_CLAIM))
                    .map(role -> new Session(new Caller(userId, role), id, issuedAt, exp.toInstant(), credential));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** In milliseconds when we wrote them; from {@code iat} for older tokens; else the earliest time (ended first). */
    private static Instant issuedAt(JWTClaimsSet claims) throws ParseException {
        Long millis = claims.getLongClaim(ISSUED_MILLIS_CLAIM);
        if (millis != null) {
            return Instant.ofEpochMilli(millis);
        }
        Date iat = claims.getIssueTime();
        return iat == null ? Instant.EPOCH : iat.toInstant();
    }

    /** Whether the session was issued for this password hash (constant time). */
    public boolean issuedFor(Session session, String passwordHash) {
        return MessageDigest.isEqual(session.credential().getBytes(StandardCharsets.US_ASCII),
                credentialDigest(passwordHash).getBytes(StandardCharsets.US_ASCII));
    }

    /** Keyed, so the token (readable by anyone holding it) tells nothing about the hash itself. */
    private String credentialDigest(String passwordHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(("cred:" + (passwordHash == null ? "" : passwordHash))
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
