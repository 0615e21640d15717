package dev.tollgate.ledger.retention;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The ledger's scheduled jobs (the partition job). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfig {
}
