package dev.tollgate.admin.settings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code tollgate.ui.*}: defaults of the settings nobody has set yet. */
@ConfigurationProperties("tollgate.ui")
public record UiProperties(@DefaultValue("http://127.0.0.1:8080") String relayUrl) {
}
