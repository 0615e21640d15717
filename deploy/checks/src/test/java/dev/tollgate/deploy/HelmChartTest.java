package dev.tollgate.deploy;

import static dev.tollgate.deploy.Repo.at;
import static dev.tollgate.deploy.Repo.list;
import static dev.tollgate.deploy.Repo.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/helm/tollgate through the real helm binary: lint, then the rendered manifests. */
class HelmChartTest {

    static final String CI_VALUES = Helm.CHART.resolve("ci/msk-iam-ingress-values.yaml").toString();

    private static List<Map<String, Object>> defaults;
    private static List<Map<String, Object>> mskIngress;
    private static Map<String, Object> ciValues;

    @BeforeAll
    static void render() throws Exception {
        defaults = Repo.yamlAll(ok(Helm.template()).stdout());
        mskIngress = Repo.yamlAll(ok(Helm.template("-f", CI_VALUES)).stdout());
        ciValues = Repo.yaml(Repo.read("deploy/helm/tollgate/ci/msk-iam-ingress-values.yaml"));
    }

    @Test
    void shouldPassStrictLintWhenUsingDefaultValuesOrTheMskIngressValues() throws Exception {
        ok(Helm.lint());
        ok(Helm.lint("-f", CI_VALUES));
    }

    @Test
    void shouldRejectValuesTheSchemaDoesNotKnowWhenRendering() throws Exception {
        Helm.Result typo = Helm.template("--set", "relay.replica=3");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.stderr()).contains("replica");
        Helm.Result auth = Helm.template("--set", "kafka.auth=sasl-plain");
        assertThat(auth.exitCode()).isNotZero();
        assertThat(Helm.template("--set", "relay.port=http").exitCode()).isNotZero();
    }

    @Test
    void shouldRenderTheThreeServicesWhenValuesAreDefault() {
        assertThat(names(defaults, "Deployment")).containsExactlyInAnyOrder("tg-tollgate-relay", "tg-tollgate-ledger",
                "tg-tollgate-admin");
        assertThat(names(defaults, "Service")).containsExactlyInAnyOrder("tg-tollgate-relay", "tg-tollgate-ledger",
                "tg-tollgate-admin");
        assertThat(names(defaults, "Ingress")).isEmpty();
        for (Services.Service s : Services.SPRING) {
            Map<String, Object> svc = one(defaults, "Service", "tg-tollgate-" + s.name());
            assertThat(at(list(at(svc, "spec.ports")).get(0), "port").toString()).isEqualTo(Integer.toString(s.port()));
            assertThat(map(at(svc, "spec.selector"))).containsEntry("app.kubernetes.io/component", s.name());
        }
    }

    /**
     * What the JVM may not use for its heap (the image's MaxRAMPercentage of the chart's memory limit) must hold
     * the rest of the process: the relay with 1,000 open streams measured ~190 MB (docs/benchmarks.md), plus a
     * margin; the ledger and admin hold no streams.
     */
    @Test
    void shouldLeaveRoomOutsideTheHeapWhenTheImagesRunAtTheChartsMemoryLimits() {
        Map<String, Integer> minimumMi = Map.of("relay", 288, "ledger", 192, "admin", 192);
        for (Services.Service s : Services.SPRING) {
            Map<String, Object> c = container(defaults, s.name());
            String limit = at(c, "resources.limits.memory").toString();
            assertThat(limit).as(s.name()).endsWith("Mi");
            assertThat(at(c, "resources.requests.memory").toString()).as(s.name()).isEqualTo(limit);
            int limitMi = Integer.parseInt(limit.substring(0, limit.length() - 2));
            String entry = Dockerfile.parse(Repo.read(s.dockerfile())).runtime().args("ENTRYPOINT").get(0);
            Matcher pct = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(entry);
            assertThat(pct.find()).as(s.name()).isTrue();
            int outsideHeapMi = limitMi * (100 - Integer.parseInt(pct.group(1))) / 100;
            assertThat(outsideHeapMi).as("%s: %d Mi outside the heap", s.name(), outsideHeapMi)
                    .isGreaterThanOrEqualTo(minimumMi.get(s.name()));
        }
    }

    @Test
    void shouldProbeLivenessAndReadinessOnTheActuatorWhenRunningPods() {
        for (List<Map<String, Object>> render : List.of(defaults, mskIngress)) {
            for (Services.Service s : Services.SPRING) {
                Map<String, Object> c = container(render, s.name());
                assertThat(at(c, "livenessProbe.httpGet.path").toString()).isEqualTo("/actuator/health/liveness");
                assertThat(at(c, "readinessProbe.httpGet.path").toString()).isEqualTo("/actuator/health/readiness");
                assertThat(at(c, "startupProbe.httpGet.path").toString()).isEqualTo("/actuator/health/liveness");
                assertThat(at(c, "livenessProbe.httpGet.port").toString()).isEqualTo("http");
                Map<String, Object> port = map(list(c.get("ports")).get(0));
                assertThat(port).containsEntry("name", "http").containsEntry("containerPort", s.port());
            }
        }
    }

    @Test
    void shouldAutoscaleTheRelayOnCpuWhenDefaultsAreUsed() {
        Map<String, Object> hpa = one(defaults, "HorizontalPodAutoscaler", "tg-tollgate-relay");
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(map(at(hpa, "spec.scaleTargetRef"))).containsEntry("kind", "Deployment")
                .containsEntry("name", "tg-tollgate-relay");
        Map<String, Object> metric = map(list(at(hpa, "spec.metrics")).get(0));
        assertThat(at(metric, "resource.name").toString()).isEqualTo("cpu");
        assertThat(at(metric, "resource.target.type").toString()).isEqualTo("Utilization");
        assertThat(((Number) at(hpa, "spec.minReplicas")).intValue()).isGreaterThanOrEqualTo(2);
        // The HPA owns the replica count: a rendered one would fight it on every upgrade.
        assertThat(map(one(defaults, "Deployment", "tg-tollgate-relay").get("spec"))).doesNotContainKey("replicas");
        assertThat(names(defaults, "HorizontalPodAutoscaler")).containsExactly("tg-tollgate-relay");
    }

    @Test
    void shouldKeepARelayUpThroughVoluntaryDisruptionsWhenNodesDrain() {
        Map<String, Object> pdb = one(defaults, "PodDisruptionBudget", "tg-tollgate-relay");
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(((Number) at(pdb, "spec.minAvailable")).intValue()).isGreaterThanOrEqualTo(1);
        Map<String, Object> podLabels = map(at(one(defaults, "Deployment", "tg-tollgate-relay"),
                "spec.template.metadata.labels"));
        assertThat(podLabels).containsAllEntriesOf(map(at(pdb, "spec.selector.matchLabels")));
    }

    @Test
    void shouldRunNonRootOnAReadOnlyRootFilesystemWhenRunningPods() {
        for (List<Map<String, Object>> render : List.of(defaults, mskIngress)) {
            for (Services.Service s : Services.SPRING) {
                Map<String, Object> pod = podSpec(render, s.name());
                assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true)
                        .containsEntry("runAsUser", 10001);
                Map<String, Object> sc = map(container(render, s.name()).get("securityContext"));
                assertThat(sc).containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false);
                assertThat(list(at(sc, "capabilities.drop"))).containsExactly("ALL");
                assertThat(mountPaths(render, s.name())).as(s.name() + " writes temp files").contains("/tmp");
            }
        }
    }

    @Test
    void shouldGiveTheRelayAWritableSpoolWhenTheRootFilesystemIsReadOnly() {
        String dir = env(container(defaults, "relay")).get("TOLLGATE_SPOOL_DIR");
        assertThat(mountPaths(defaults, "relay")).contains(dir);
        assertThat(volume(defaults, "relay", "spool")).containsKey("emptyDir");

        Map<String, Object> sts = one(mskIngress, "StatefulSet", "tg-tollgate-relay");
        Map<String, Object> claim = map(list(at(sts, "spec.volumeClaimTemplates")).get(0));
        assertThat(at(claim, "metadata.name").toString()).isEqualTo("spool");
        assertThat(mountPaths(mskIngress, "relay")).contains(env(container(mskIngress, "relay")).get("TOLLGATE_SPOOL_DIR"));
        assertThat(map(at(one(mskIngress, "HorizontalPodAutoscaler", "tg-tollgate-relay"), "spec.scaleTargetRef")))
                .containsEntry("kind", "StatefulSet");
    }

    @Test
    void shouldSplitTheIngressByApiPrefixWithoutOverlapWhenEnabled() {
        Map<String, Object> ingress = one(mskIngress, "Ingress", "tg-tollgate");
        List<Object> rules = list(at(ingress, "spec.rules"));
        assertThat(rules).hasSize(1);
        Map<String, String> routes = new LinkedHashMap<>();
        for (Object p : list(at(rules.get(0), "http.paths"))) {
            assertThat(at(p, "pathType").toString()).isEqualTo("Prefix");
            routes.put(at(p, "path").toString(), at(p, "backend.service.name").toString());
            assertThat(at(p, "backend.service.port.name").toString()).isEqualTo("http");
        }
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of("/v1", "tg-tollgate-relay",
                "/v1beta", "tg-tollgate-relay", "/", "tg-tollgate-admin"));
        assertThat(names(mskIngress, "Service")).containsAll(routes.values());
        assertThat(at(rules.get(0), "host").toString()).isEqualTo("llm.example.com");
        assertThat(at(list(at(ingress, "spec.tls")).get(0), "secretName").toString()).isEqualTo("llm-example-com-tls");
    }

    @Test
    void shouldUseMskIamWhenKafkaAuthIsMskIam() {
        Map<String, Object> config = map(one(mskIngress, "ConfigMap", "tg-tollgate-config").get("data"));
        assertThat(config).containsEntry("TOLLGATE_KAFKA_AUTH", "msk-iam")
                .containsEntry("TOLLGATE_KAFKA_BOOTSTRAP", at(ciValues, "kafka.bootstrap"));
        for (Services.Service s : Services.SPRING) {
            assertThat(env(container(mskIngress, s.name()))).containsEntry("AWS_REGION", "eu-west-1");
            assertThat(at(podSpec(mskIngress, s.name()), "serviceAccountName").toString()).isEqualTo("tg-tollgate");
        }
        assertThat(map(at(one(mskIngress, "ServiceAccount", "tg-tollgate"), "metadata.annotations")))
                .containsKey("eks.amazonaws.com/role-arn");
        // Reads go to the reader endpoint; the ledger, which writes, to the writer.
        assertThat(env(container(mskIngress, "relay")).get("TOLLGATE_DB_HOST")).isEqualTo(at(ciValues, "mysql.readerHost"));
        assertThat(env(container(mskIngress, "ledger")).get("TOLLGATE_DB_HOST")).isEqualTo(at(ciValues, "mysql.host"));
        assertThat(map(config)).containsEntry("TOLLGATE_KAFKA_AUTH", "msk-iam");
        assertThat(config(defaults)).containsEntry("TOLLGATE_KAFKA_AUTH", "none");
    }

    @Test
    void shouldKeepSecretsOutOfConfigMapsAndPlainEnvironmentWhenRendering() {
        List<String> secrets = new ArrayList<>();
        map(ciValues.get("secrets")).values().forEach(v -> secrets.add(v.toString()));
        String notSecretDocs = otherThanSecrets(mskIngress);
        for (String s : secrets) {
            assertThat(notSecretDocs).as("a secret value outside the Secret").doesNotContain(s);
        }
        for (List<Map<String, Object>> render : List.of(defaults, mskIngress)) {
            Set<String> decoded = new HashSet<>();
            map(at(one(render, "Secret", "tg-tollgate-secrets"), "data")).values().forEach(v ->
                    decoded.add(new String(Base64.getDecoder().decode(v.toString()), StandardCharsets.UTF_8)));
            decoded.remove("");
            assertThat(decoded).as("generated or given secrets").isNotEmpty();
            assertThat(config(render).values()).doesNotContainAnyElementsOf(decoded);
            for (Services.Service s : Services.SPRING) {
                for (Object e : list(container(render, s.name()).get("env"))) {
                    String name = at(e, "name").toString();
                    if (Services.SECRET_VARS.contains(name)) {
                        assertThat(map(e)).as(s.name() + " " + name).doesNotContainKey("value");
                        assertThat(at(e, "valueFrom.secretKeyRef.name").toString()).isEqualTo("tg-tollgate-secrets");
                    }
                }
            }
            assertThat(config(render).keySet()).doesNotContainAnyElementsOf(Services.SECRET_VARS);
        }
    }

    @Test
    void shouldUseTheExistingSecretWhenOneIsNamed() throws Exception {
        List<Map<String, Object>> render = Repo.yamlAll(ok(Helm.template("--set", "secrets.existingSecret=ops-made"))
                .stdout());
        assertThat(names(render, "Secret")).isEmpty();
        assertThat(at(list(container(render, "admin").get("env")).stream()
                .filter(e -> "TOLLGATE_MASTER_KEY".equals(at(e, "name"))).findFirst().orElseThrow(),
                "valueFrom.secretKeyRef.name").toString()).isEqualTo("ops-made");
    }

    @Test
    void shouldSetOnlyVariablesEachServiceReadsAndAllItNeedsWhenRendering() {
        for (List<Map<String, Object>> render : List.of(defaults, mskIngress)) {
            Map<String, String> config = config(render);
            Set<String> readByAny = new HashSet<>();
            for (Services.Service s : Services.SPRING) {
                Set<String> reads = s.reads().keySet();
                readByAny.addAll(reads);
                Set<String> own = env(container(render, s.name())).keySet();
                own.stream().filter(k -> k.startsWith("TOLLGATE_"))
                        .forEach(k -> assertThat(reads).as(s.name() + " reads " + k).contains(k));
                Set<String> given = new HashSet<>(own);
                given.addAll(config.keySet());
                assertThat(given).as(s.name() + " gets every variable it needs").containsAll(s.required());
            }
            assertThat(readByAny).as("every ConfigMap variable is read by some service").containsAll(config.keySet());
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static Helm.Result ok(Helm.Result r) {
        assertThat(r.exitCode()).as("helm failed:\n" + r.stdout() + r.stderr()).isZero();
        return r;
    }

    private static List<String> names(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).map(d -> at(d, "metadata.name").toString()).toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> workload(List<Map<String, Object>> docs, String component) {
        return docs.stream().filter(d -> ("Deployment".equals(d.get("kind")) || "StatefulSet".equals(d.get("kind")))
                        && ("tg-tollgate-" + component).equals(at(d, "metadata.name")))
                .findFirst().orElseThrow(() -> new AssertionError("no workload " + component));
    }

    private static Map<String, Object> podSpec(List<Map<String, Object>> docs, String component) {
        return map(at(workload(docs, component), "spec.template.spec"));
    }

    private static Map<String, Object> container(List<Map<String, Object>> docs, String component) {
        List<Object> containers = list(podSpec(docs, component).get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    private static Map<String, Object> volume(List<Map<String, Object>> docs, String component, String name) {
        return list(podSpec(docs, component).get("volumes")).stream().map(Repo::map)
                .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow();
    }

    private static List<String> mountPaths(List<Map<String, Object>> docs, String component) {
        return list(container(docs, component).get("volumeMounts")).stream().map(m -> at(m, "mountPath").toString())
                .toList();
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object e : list(container.get("env"))) {
            Object v = at(e, "value");
            out.put(at(e, "name").toString(), v == null ? null : v.toString());
        }
        return out;
    }

    private static Map<String, String> config(List<Map<String, Object>> docs) {
        Map<String, String> out = new LinkedHashMap<>();
        map(one(docs, "ConfigMap", "tg-tollgate-config").get("data")).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static String otherThanSecrets(List<Map<String, Object>> docs) {
        StringBuilder sb = new StringBuilder();
        docs.stream().filter(d -> !"Secret".equals(d.get("kind"))).forEach(d -> sb.append(d).append('\n'));
        return sb.toString();
    }
}
