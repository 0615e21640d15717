package dev.tollgate.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each deployable reads, from its own source: a Spring service's {@code ${TOLLGATE_…}} placeholders in
 * application.yml (with their defaults), a plain main's {@code "TOLLGATE_…"} literals.
 */
final class Services {

    /** One deployable: its Maven module, Dockerfile, port (0: none) and health path (null: none). */
    record Service(String name, String module, String dockerfile, int port, String healthPath, String envSource) {

        boolean spring() {
            return envSource.endsWith("application.yml");
        }

        /** Variable → default ("" when the default is empty, null when there is none). */
        Map<String, String> reads() {
            return spring() ? placeholders(Repo.read(envSource)) : Repo.javaEnvReads(envSource);
        }

        /**
         * Variables a container must be given: no default, an empty default, or a default that only works on the
         * developer's machine (127.0.0.1). An empty topic prefix means "none" and is fine.
         */
        Set<String> required() {
            Set<String> out = new TreeSet<>();
            if (!spring()) {
                return out;
            }
            reads().forEach((k, def) -> {
                boolean local = def != null && (def.contains("127.0.0.1") || def.contains("localhost"));
                if ((def == null || def.isEmpty() || local) && !OPTIONAL.contains(k)) {
                    out.add(k);
                }
            });
            return out;
        }
    }

    static final Set<String> OPTIONAL = Set.of("TOLLGATE_TOPIC_PREFIX", "TOLLGATE_TRUSTED_PROXIES", "TOLLGATE_LOG_FORMAT",
            "TOLLGATE_ADMIN_ALLOWED_ORIGINS", "TOLLGATE_MASTER_KEYS_OLD", "TOLLGATE_OTLP_ENDPOINT");

    /** Variables holding secrets: never a literal in compose, never outside a Secret in Kubernetes. */
    static final Set<String> SECRET_VARS = Set.of("TOLLGATE_MASTER_KEY", "TOLLGATE_SESSION_SECRET",
            "TOLLGATE_ADMIN_PASSWORD", "TOLLGATE_DB_PASSWORD", "TOLLGATE_MASTER_KEYS_OLD");

    static final Service RELAY = new Service("relay", "relay-service", "deploy/docker/relay.Dockerfile", 8080,
            "/actuator/health/readiness", "relay-service/src/main/resources/application.yml");
    static final Service LEDGER = new Service("ledger", "ledger-service", "deploy/docker/ledger.Dockerfile", 8082,
            "/actuator/health/readiness", "ledger-service/src/main/resources/application.yml");
    static final Service ADMIN = new Service("admin", "admin-service", "deploy/docker/admin.Dockerfile", 8081,
            "/actuator/health/readiness", "admin-service/src/main/resources/application.yml");
    static final Service SIMULATOR = new Service("simulator", "deploy/simulator", "deploy/docker/simulator.Dockerfile",
            8090, "/_sim/stats", "deploy/simulator/src/main/java/dev/tollgate/simulator/SimulatorMain.java");
    static final Service SEED = new Service("seed", "deploy/local", "deploy/docker/seed.Dockerfile", 0, null,
            "deploy/local/src/main/java/dev/tollgate/local/SeedMain.java");

    static final List<Service> ALL = List.of(RELAY, LEDGER, ADMIN, SIMULATOR, SEED);
    static final List<Service> SPRING = List.of(RELAY, LEDGER, ADMIN);

    static Service named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(TOLLGATE_[A-Z0-9_]+)(?::([^}]*))?}");

    static Map<String, String> placeholders(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            vars.put(m.group(1), m.group(2));
        }
        return vars;
    }

    private Services() {
    }
}
