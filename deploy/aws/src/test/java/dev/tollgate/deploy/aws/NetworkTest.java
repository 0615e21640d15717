package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import tools.jackson.databind.JsonNode;

class NetworkTest {

    @Test
    void shouldSpreadPublicPrivateAndIsolatedSubnetsWhenSynthesizedOverTwoAzs() {
        Map<String, JsonNode> subnets = Synthesized.resources("AWS::EC2::Subnet");
        assertThat(subnets).hasSize(6);
        Map<String, Long> byType = new java.util.TreeMap<>();
        java.util.Set<String> azs = new java.util.TreeSet<>();
        for (JsonNode subnet : subnets.values()) {
            for (JsonNode tag : subnet.path("Properties").path("Tags")) {
                if ("aws-cdk:subnet-type".equals(tag.path("Key").asString())) {
                    byType.merge(tag.path("Value").asString(), 1L, Long::sum);
                }
            }
            azs.add(subnet.path("Properties").path("AvailabilityZone").toString());
        }
        assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of("Public", 2L, "Private", 2L, "Isolated", 2L));
        assertThat(azs).hasSize(2);
        Synthesized.main().resourceCountIs("AWS::EC2::NatGateway", 2);
    }

    @Test
    void shouldGiveIsolatedSubnetsNoRouteOutWhenTheDatabaseLivesThere() {
        // Routes to 0.0.0.0/0: the public subnets (internet gateway) and the private ones (NAT) only.
        Map<String, Map<String, Object>> routes = Synthesized.main().findResources("AWS::EC2::Route",
                Match.objectLike(Map.of("Properties", Map.of("DestinationCidrBlock", "0.0.0.0/0"))));
        assertThat(routes).hasSize(4);
        assertThat(routes.keySet()).noneMatch(id -> id.toLowerCase().contains("isolated"));
        assertThat(routes.keySet()).filteredOn(id -> id.contains("public")).hasSize(2);
        assertThat(routes.keySet()).filteredOn(id -> id.contains("private")).hasSize(2);
    }
}
