package dev.tollgate.contracts.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldGenerateKeysOfTheDocumentedShape() {
        String key = CustomerKeys.generate();
        assertThat(key).startsWith("tg-").hasSize(46).matches("tg-[0-9A-Za-z]{43}");
        assertThat(CustomerKeys.looksValid(key)).isTrue();
        assertThat(CustomerKeys.generate()).isNotEqualTo(key);
        assertThat(CustomerKeys.looksValid("tg-short")).isFalse();
        assertThat(CustomerKeys.displayPrefix(key)).isEqualTo(key.substring(0, 8));
    }

    @Test
    void shouldHashToLowerHexSha256() {
        assertThat(CustomerKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void shouldDecryptOnlyUnderTheSameMasterKey() {
        SecretBox box = SecretBox.fromMasterKey("master-one");
        String ct = box.encrypt("sk-upstream-secret");
        assertThat(ct).startsWith("v2.k1.").doesNotContain("sk-upstream-secret");
        assertThat(box.encrypt("sk-upstream-secret")).isNotEqualTo(ct); // fresh IV each time
        assertThat(box.decrypt(ct)).isEqualTo("sk-upstream-secret");
        assertThatThrownBy(() -> SecretBox.fromMasterKey("master-two").decrypt(ct))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.decrypt("v1.AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.decrypt("v2.k1.AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.decrypt("sk-plain")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Made by the v1-only SecretBox before key ids existed, under master key "master-one". */
    private static final String V1_GOLDEN = "v1.Pw1N6IECoq-xbkcHDbSi4J3kimvLInUns7Sv0KAPhAxhgprs5EOCCW9WsUMSXw";

    @Test
    void shouldStillDecryptAV1CiphertextUnderTheCurrentKeyOrAnOldOne() {
        assertThat(SecretBox.fromMasterKey("master-one").decrypt(V1_GOLDEN)).isEqualTo("sk-upstream-secret");
        SecretBox rotated = SecretBox.fromConfig("master-two", "k2", "k1:master-one");
        assertThat(rotated.decrypt(V1_GOLDEN)).isEqualTo("sk-upstream-secret");
        assertThat(rotated.needsReencryption(V1_GOLDEN)).isTrue();
    }

    @Test
    void shouldNameTheKeyIdAndReadOldKeysUntilReencrypted() {
        String underK1 = SecretBox.fromMasterKey("master-one").encrypt("sk-a");
        SecretBox rotated = SecretBox.fromConfig("master-two", "k2", " k1:master-one , k0:master-zero");

        String underK2 = rotated.encrypt("sk-a");
        assertThat(underK2).startsWith("v2.k2.");
        assertThat(rotated.decrypt(underK1)).isEqualTo("sk-a");
        assertThat(rotated.needsReencryption(underK1)).isTrue();
        assertThat(rotated.needsReencryption(underK2)).isFalse();
        String reencrypted = rotated.reencrypt(underK1);
        assertThat(reencrypted).startsWith("v2.k2.");
        assertThat(rotated.reencrypt(reencrypted)).isSameAs(reencrypted);
        assertThat(SecretBox.fromConfig("master-two", "k2", null).decrypt(reencrypted)).isEqualTo("sk-a");
        // Once k1 is dropped from the old keys, its texts are unreadable, and say why.
        assertThatThrownBy(() -> SecretBox.fromConfig("master-two", "k2", null).decrypt(underK1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key id");
    }

    @Test
    void shouldRefuseAKeyIdThatIsNotCheckedByTheTag() {
        // Same key bytes under another id: the id is chosen by configuration, and a mismatch is not decrypted.
        String ct = SecretBox.fromConfig("master-one", "k1", null).encrypt("sk-a");
        String relabelled = "v2.k9." + ct.substring("v2.k1.".length());
        assertThatThrownBy(() -> SecretBox.fromConfig("master-two", "k9", null).decrypt(relabelled))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseMalformedKeySettings() {
        assertThatThrownBy(() -> SecretBox.fromConfig("m", "bad.id", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.fromConfig("m", "k2", "no-colon"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.fromConfig("m", "k2", "k2:again"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.fromConfig(" ", "k2", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SecretBox.fromConfig("m", null, "").currentKeyId()).isEqualTo("k1");
    }
}
