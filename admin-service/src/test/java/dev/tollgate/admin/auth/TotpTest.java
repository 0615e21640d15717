package dev.tollgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B's test vectors, and what authenticator apps need besides. */
class TotpTest {

    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
        "59, 94287082, 46119246, 90693936",
        "1111111109, 07081804, 68084774, 25091201",
        "1111111111, 14050471, 67062674, 99943326",
        "1234567890, 89005924, 91819424, 93441116",
        "2000000000, 69279037, 90698825, 38618901",
        "20000000000, 65353130, 77737706, 47863826"})
    void shouldMatchTheRfc6238VectorsForEveryHmac(long seconds, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(seconds));

        assertThat(Totp.code(SHA1_SEED, step, 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_SEED, step, 8, "HmacSHA256")).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_SEED, step, 8, "HmacSHA512")).isEqualTo(sha512);
    }

    @Test
    void shouldAcceptTheNeighbouringStepsButNotFurtherOnesNorMalformedCodes() {
        Instant now = Instant.ofEpochSecond(1111111111);
        long step = Totp.step(now);
        String previous = Totp.code(SHA1_SEED, step - 1, 6, "HmacSHA1");

        assertThat(Totp.matchingStep(SHA1_SEED, previous, now)).isEqualTo(step - 1);
        assertThat(Totp.matchingStep(SHA1_SEED, Totp.code(SHA1_SEED, step, 6, "HmacSHA1"), now)).isEqualTo(step);
        assertThat(Totp.matchingStep(SHA1_SEED, Totp.code(SHA1_SEED, step + 2, 6, "HmacSHA1"), now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SHA1_SEED, "12345", now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SHA1_SEED, "abcdef", now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SHA1_SEED, null, now)).isEqualTo(-1);
    }

    @Test
    void shouldRoundTripBase32AsRfc4648EncodesIt() {
        // RFC 4648 section 10, without padding.
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(new String(Totp.fromBase32("MZXW6YTBOI======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        String secret = Totp.newSecret();
        assertThat(secret).hasSize(32).matches("[A-Z2-7]+");
        assertThat(Totp.base32(Totp.fromBase32(secret))).isEqualTo(secret);
    }

    @Test
    void shouldBuildTheUriAuthenticatorAppsRead() {
        assertThat(Totp.otpauthUri("Tollgate", "admin", "MZXW6YTBOI")).isEqualTo(
                "otpauth://totp/Tollgate:admin?secret=MZXW6YTBOI&issuer=Tollgate&algorithm=SHA1&digits=6&period=30");
    }
}
