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
        assertThat(ct).startsWith("v1.").doesNotContain("sk-upstream-secret");
        assertThat(box.encrypt("sk-upstream-secret")).isNotEqualTo(ct); // fresh IV each time
        assertThat(box.decrypt(ct)).isEqualTo("sk-upstream-secret");
        assertThatThrownBy(() -> SecretBox.fromMasterKey("master-two").decrypt(ct))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.decrypt("v1.AAAA")).isInstanceOf(IllegalArgumentException.class);
    }
}
