package dev.tollgate.admin.settings;

import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.admin.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A PUT of settings: fields left out stay as they are; {@code relayUrl: ""} goes back to the configured default. */
public record SettingsRequest(Boolean registrationEnabled, String registrationGroup, String relayUrl) {

    /** The stored form, checked: names and values as the ledger keeps them. */
    public Map<String, String> toValues() {
        Map<String, String> values = new LinkedHashMap<>();
        if (registrationEnabled != null) {
            values.put(SettingsRepository.REGISTRATION_ENABLED, registrationEnabled.toString());
        }
        if (registrationGroup != null) {
            if (registrationGroup.isBlank()) {
                throw ApiException.invalid("registrationGroup", "must name a group");
            }
            UserRequests.checkGroup(registrationGroup);
            values.put(SettingsRepository.REGISTRATION_GROUP, registrationGroup);
        }
        if (relayUrl != null) {
            if (!relayUrl.isEmpty() && !isHttpUrl(relayUrl)) {
                throw ApiException.invalid("relayUrl", "an http(s) URL, or empty for the default");
            }
            values.put(SettingsRepository.RELAY_URL, stripSlash(relayUrl));
        }
        if (values.isEmpty()) {
            throw ApiException.invalid("body", "name at least one of registrationEnabled, registrationGroup, relayUrl");
        }
        return values;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && text.length() <= 512;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
