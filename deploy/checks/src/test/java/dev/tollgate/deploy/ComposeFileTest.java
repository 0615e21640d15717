package dev.tollgate.deploy;

import static dev.tollgate.deploy.Repo.at;
import static dev.tollgate.deploy.Repo.list;
import static dev.tollgate.deploy.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docker-compose.yml (parsed; no Docker here) against the services' real configuration. */
class ComposeFileTest {

    private final Map<String, Object> compose = Repo.yaml(Repo.read("docker-compose.yml"));
    private final Map<String, Object> services = map(compose.get("services"));

    @Test
    void shouldRunTheWholeStackWhenComposeStarts() {
        assertThat(services).containsOnlyKeys("mysql", "kafka", "ledger", "relay", "admin", "simulator", "seed");
        assertThat(at(services, "mysql.image").toString()).isEqualTo("mysql:8.4");
        assertThat(at(services, "kafka.image").toString()).startsWith("apache/kafka:");
        for (Services.Service s : Services.ALL) {
            assertThat(at(services, s.name() + ".build.dockerfile").toString()).as(s.name()).isEqualTo(s.dockerfile());
            assertThat(at(services, s.name() + ".build.context").toString()).as(s.name()).isEqualTo(".");
        }
    }

    @Test
    void shouldPublishOnlyTheRelayAdminAndSimulatorPortsWhenRunning() {
        Map<String, Integer> published = new LinkedHashMap<>();
        services.forEach((name, svc) -> {
            for (Object p : list(map(svc).get("ports"))) {
                String[] parts = p.toString().split(":");
                published.put(name, Integer.parseInt(parts[parts.length - 1]));
                assertThat(p.toString()).as("published on loopback only by default").startsWith("127.0.0.1:");
            }
        });
        assertThat(published).containsExactlyInAnyOrderEntriesOf(Map.of("relay", Services.RELAY.port(),
                "admin", Services.ADMIN.port(), "simulator", Services.SIMULATOR.port()));
        for (Services.Service s : Services.SPRING) {
            assertThat(env(s.name())).as(s.name()).containsEntry(portVar(s), Integer.toString(s.port()));
        }
        assertThat(env("simulator")).containsEntry("TOLLGATE_SIMULATOR_PORT", "8090")
                .containsEntry("TOLLGATE_SIMULATOR_HOST", "0.0.0.0");
    }

    @Test
    void shouldCheckHealthOnEachServicesOwnPortWhenDefiningHealthchecks() {
        for (String infra : List.of("mysql", "kafka")) {
            assertThat(list(at(services, infra + ".healthcheck.test"))).as(infra).isNotEmpty();
        }
        for (Services.Service s : Services.ALL) {
            if (s.port() == 0) {
                assertThat(at(services, s.name() + ".healthcheck") == null).as(s.name() + " runs once").isTrue();
                continue;
            }
            assertThat(list(at(services, s.name() + ".healthcheck.test")))
                    .as(s.name()).map(Object::toString)
                    .containsExactly("CMD", "healthcheck", Integer.toString(s.port()), s.healthPath());
        }
        // Over TCP, or the init-time socket-only server would count as healthy.
        assertThat(list(at(services, "mysql.healthcheck.test")).toString()).contains("-h 127.0.0.1");
        assertThat(list(at(services, "kafka.healthcheck.test")).toString()).contains("localhost:9092");
    }

    @Test
    void shouldStartEachServiceOnlyAfterItsDependenciesAreHealthyWhenOrdering() {
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        services.forEach((name, svc) -> {
            Object deps = map(svc).get("depends_on");
            if (deps == null) {
                return;
            }
            assertThat(deps).as(name + ": long syntax with conditions").isInstanceOf(Map.class);
            map(deps).forEach((dep, cond) -> {
                assertThat(at(cond, "condition").toString()).as(name + " → " + dep).isEqualTo("service_healthy");
                assertThat(at(services, dep + ".healthcheck") != null || dep.equals("seed"))
                        .as(dep + " has a healthcheck").isTrue();
                edges.computeIfAbsent(name, k -> new TreeSet<>()).add(dep);
            });
        });
        assertThat(edges.get("ledger")).containsExactlyInAnyOrder("mysql", "kafka");
        assertThat(edges.get("relay")).contains("ledger", "kafka");
        assertThat(edges.get("admin")).contains("ledger", "kafka");
        assertThat(edges.get("seed")).containsExactlyInAnyOrder("admin", "relay", "simulator");
        assertThat(at(services, "seed.restart").toString()).isEqualTo("no");
    }

    @Test
    void shouldKeepDataOnNamedVolumesWhenContainersAreRecreated() {
        Map<String, Object> declared = map(compose.get("volumes"));
        assertThat(declared).containsOnlyKeys("mysql-data", "kafka-data", "relay-spool", "seed-state");
        assertThat(mounts("mysql")).containsEntry("mysql-data", "/var/lib/mysql");
        assertThat(mounts("kafka")).containsEntry("kafka-data", env("kafka").get("KAFKA_LOG_DIRS"));
        assertThat(mounts("relay")).containsEntry("relay-spool", env("relay").get("TOLLGATE_SPOOL_DIR"));
        List<String> seedCommand = list(at(services, "seed.command")).stream().map(Object::toString).toList();
        assertThat(mounts("seed")).containsEntry("seed-state",
                seedCommand.get(seedCommand.indexOf("--state") + 1));
    }

    @Test
    void shouldSetOnlyVariablesTheServiceReadsWhenWiringEnvironment() {
        for (Services.Service s : Services.ALL) {
            Set<String> set = tollgateVars(env(s.name()));
            assertThat(s.reads().keySet()).as(s.name() + " reads every TOLLGATE_* compose sets (" + s.envSource() + ")")
                    .containsAll(set);
            assertThat(set).as(s.name() + " gets every variable it needs").containsAll(s.required());
        }
    }

    @Test
    void shouldWireServicesToTheComposeMysqlAndKafkaWhenConfigured() {
        Map<String, String> kafka = env("kafka");
        String advertised = kafka.get("KAFKA_ADVERTISED_LISTENERS").replaceFirst("^PLAINTEXT://", "");
        Map<String, String> mysql = env("mysql");
        for (Services.Service s : Services.SPRING) {
            Map<String, String> e = env(s.name());
            assertThat(e).as(s.name()).containsEntry("TOLLGATE_KAFKA_BOOTSTRAP", advertised)
                    .containsEntry("TOLLGATE_DB_HOST", "mysql")
                    .containsEntry("TOLLGATE_DB_PORT", "3306")
                    .containsEntry("TOLLGATE_DB_NAME", mysql.get("MYSQL_DATABASE"))
                    .containsEntry("TOLLGATE_DB_USER", mysql.get("MYSQL_USER"))
                    .containsEntry("TOLLGATE_DB_PASSWORD", mysql.get("MYSQL_PASSWORD"));
        }
        // The ledger's JDBC URL override must name the same database as the variables.
        assertThat(env("ledger").get("SPRING_DATASOURCE_URL"))
                .startsWith("jdbc:mariadb://mysql:3306/" + mysql.get("MYSQL_DATABASE") + "?");
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
    }

    @Test
    void shouldSeedThroughTheComposeServiceNamesWhenSeeding() {
        List<String> cmd = list(at(services, "seed.command")).stream().map(Object::toString).toList();
        assertThat(cmd.get(cmd.indexOf("--admin-url") + 1)).isEqualTo("http://admin:" + Services.ADMIN.port());
        assertThat(cmd.get(cmd.indexOf("--simulator-url") + 1)).isEqualTo("http://simulator:" + Services.SIMULATOR.port());
        assertThat(cmd.get(cmd.indexOf("--relay-url") + 1)).isEqualTo("http://127.0.0.1:" + Services.RELAY.port());
        assertThat(env("seed").get("TOLLGATE_ADMIN_PASSWORD")).isEqualTo(env("admin").get("TOLLGATE_ADMIN_PASSWORD"));
    }

    @Test
    void shouldTakeSecretsFromDotEnvWhenComposeInterpolates() {
        for (Map.Entry<String, Object> svc : services.entrySet()) {
            env(svc.getKey()).forEach((k, v) -> {
                if (Services.SECRET_VARS.contains(k) && Services.OPTIONAL.contains(k)) {
                    assertThat(v).as(svc.getKey() + " " + k + " comes from .env, never a literal")
                            .isEqualTo("${" + k + ":-}");
                } else if (Services.SECRET_VARS.contains(k) || k.equals("MYSQL_PASSWORD")
                        || k.equals("MYSQL_ROOT_PASSWORD")) {
                    assertThat(v).as(svc.getKey() + " " + k + " is required from .env, never a literal")
                            .matches("\\$\\{[A-Z_]+:\\?[^}]+}");
                }
            });
        }
        Set<String> interpolated = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Repo.read("docker-compose.yml"));
        while (m.find()) {
            interpolated.add(m.group(1));
        }
        assertThat(dotEnvExampleKeys()).as(".env.example lists exactly what compose interpolates")
                .containsExactlyInAnyOrderElementsOf(interpolated);
        assertThat(Repo.read(".gitignore").lines().map(String::strip)).contains(".env");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private Map<String, String> env(String service) {
        Object e = at(services, service + ".environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (e instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(k.toString(), v == null ? null : v.toString()));
        } else {
            for (Object item : list(e)) {
                String[] kv = item.toString().split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        }
        return out;
    }

    private Map<String, String> mounts(String service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object v : list(at(services, service + ".volumes"))) {
            String[] parts = v.toString().split(":");
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    private static Set<String> tollgateVars(Map<String, String> env) {
        Set<String> out = new LinkedHashSet<>();
        env.keySet().stream().filter(k -> k.startsWith("TOLLGATE_")).forEach(out::add);
        return out;
    }

    private static String portVar(Services.Service s) {
        return "TOLLGATE_" + s.name().toUpperCase() + "_PORT";
    }

    static List<String> dotEnvExampleKeys() {
        List<String> keys = new ArrayList<>();
        for (String line : Repo.read(".env.example").lines().toList()) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                keys.add(l.substring(0, l.indexOf('=')));
            }
        }
        return keys;
    }
}
