package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LoadBalancerTest {

    @Test
    void shouldStayInternalWithALongIdleTimeoutWhenCloudFrontIsTheOnlyWayIn() {
        JsonNode alb = Synthesized.only("AWS::ElasticLoadBalancingV2::LoadBalancer").path("Properties");
        assertThat(alb.path("Scheme").asString()).isEqualTo("internal");
        String idle = null;
        for (JsonNode attr : alb.path("LoadBalancerAttributes")) {
            if ("idle_timeout.timeout_seconds".equals(attr.path("Key").asString())) {
                idle = attr.path("Value").asString();
            }
        }
        assertThat(idle).isNotNull();
        assertThat(Integer.parseInt(idle)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void shouldRouteModelApisToTheRelayAndTheRestToAdminWhenRequestsArrive() {
        String relayTg = id("AWS::ElasticLoadBalancingV2::TargetGroup", "RelayTargets");
        String adminTg = id("AWS::ElasticLoadBalancingV2::TargetGroup", "AdminTargets");
        Map<String, Integer> priorities = new java.util.TreeMap<>();
        for (JsonNode rule : Synthesized.resources("AWS::ElasticLoadBalancingV2::ListenerRule").values()) {
            JsonNode p = rule.path("Properties");
            assertThat(p.path("Actions").get(0).path("TargetGroupArn").path("Ref").asString()).isEqualTo(relayTg);
            List<String> values = new ArrayList<>();
            p.path("Conditions").get(0).path("PathPatternConfig").path("Values").forEach(v -> values.add(v.asString()));
            assertThat(values).hasSize(1);
            priorities.put(values.get(0), p.path("Priority").asInt());
        }
        assertThat(priorities).containsOnlyKeys("/v1/*", "/v1beta/*");
        assertThat(priorities.values()).doesNotHaveDuplicates().allMatch(p -> p > 0);
        JsonNode listener = Synthesized.only("AWS::ElasticLoadBalancingV2::Listener").path("Properties");
        assertThat(listener.path("DefaultActions").get(0).path("TargetGroupArn").path("Ref").asString())
                .isEqualTo(adminTg);
        assertThat(listener.path("Port").asInt()).isEqualTo(80);
    }

    @Test
    void shouldHaveNoWildcardBeforeV1WhenPathsAreMatched() {
        // "*v1*" would also send /api/v1-looking admin paths (and anything containing v1) to the relay.
        for (JsonNode rule : Synthesized.resources("AWS::ElasticLoadBalancingV2::ListenerRule").values()) {
            for (JsonNode c : rule.path("Properties").path("Conditions")) {
                for (JsonNode v : c.path("PathPatternConfig").path("Values")) {
                    assertThat(v.asString()).startsWith("/v1").doesNotContain("*v1");
                }
            }
        }
        assertThat(Synthesized.mainTree().toString()).doesNotContain("*v1*");
    }

    @Test
    void shouldCheckReadinessWhenTargetsRegister() {
        for (JsonNode tg : Synthesized.resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()) {
            JsonNode p = tg.path("Properties");
            assertThat(p.path("HealthCheckPath").asString()).isEqualTo(TollgateStack.READINESS_PATH);
            assertThat(p.path("TargetType").asString()).isEqualTo("ip");
        }
    }

    @Test
    void shouldAcceptOnlyTheVpcWhenTheAlbSecurityGroupIsOpened() {
        JsonNode sg = Synthesized.resources("AWS::EC2::SecurityGroup").entrySet().stream()
                .filter(e -> e.getKey().startsWith("AlbSecurityGroup")).findFirst().orElseThrow().getValue();
        JsonNode ingress = sg.path("Properties").path("SecurityGroupIngress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).path("CidrIp").path("Fn::GetAtt").get(1).asString()).isEqualTo("CidrBlock");
        assertThat(ingress.get(0).path("FromPort").asInt()).isEqualTo(80);
    }

    static String id(String type, String prefix) {
        return Synthesized.resources(type).keySet().stream().filter(k -> k.startsWith(prefix)).findFirst().orElseThrow();
    }
}
