package dev.tollgate.ledger.channels;

import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.contracts.upstream.UpstreamProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The probe's HTTP client and the channel keys' decryption (TOLLGATE_MASTER_KEY, as the relay and admin have it). */
@Configuration(proxyBeanMethods = false)
class ChannelProbeConfig {

    private static final Logger log = LoggerFactory.getLogger(ChannelProbeConfig.class);

    @Bean
    UpstreamProbe upstreamProbe(ChannelProbeProperties properties) {
        return new UpstreamProbe(properties.connectTimeout(), properties.timeout());
    }

    @Bean
    MasterKeys masterKeys(@Value("${tollgate.master-key:}") String masterKey,
            @Value("${tollgate.master-key-id:k1}") String masterKeyId,
            @Value("${tollgate.master-keys-old:}") String oldMasterKeys) {
        if (masterKey == null || masterKey.isBlank()) {
            log.warn("TOLLGATE_MASTER_KEY is not set on the ledger: auto-disabled channels with a key cannot be "
                    + "probed and stay off until an admin enables them, and secrets cannot be re-encrypted");
            return new MasterKeys(null);
        }
        return new MasterKeys(SecretBox.fromConfig(masterKey, masterKeyId, oldMasterKeys));
    }

    @Bean
    ChannelKeys channelKeys(MasterKeys masterKeys) {
        return new ChannelKeys(masterKeys.box());
    }
}
