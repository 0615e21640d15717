package dev.tollgate.ledger.config;

import dev.tollgate.contracts.Topics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LedgerConfig {

    /** Every topic name comes from here, so deployments (and test classes) sharing a broker stay apart. */
    @Bean
    Topics topics(LedgerProperties properties) {
        return new Topics(properties.topicPrefix());
    }

    /** What "now" is when usage events are checked for times in the future. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
