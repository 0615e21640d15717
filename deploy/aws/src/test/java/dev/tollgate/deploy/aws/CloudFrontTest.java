package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import tools.jackson.databind.JsonNode;

class CloudFrontTest {

    static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    static final String ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
    static final List<String> ALL_METHODS = List.of("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE");

    @Test
    void shouldNeverCacheAndForwardEverythingWhenModelApisAreCalled() {
        JsonNode config = distributionConfig();
        List<String> paths = new ArrayList<>();
        for (JsonNode b : config.path("CacheBehaviors")) {
            paths.add(b.path("PathPattern").asString());
            assertThat(b.path("CachePolicyId").asString()).isEqualTo(CACHING_DISABLED);
            assertThat(b.path("OriginRequestPolicyId").asString()).isEqualTo(ALL_VIEWER);
            assertThat(strings(b.path("AllowedMethods"))).containsExactlyInAnyOrderElementsOf(ALL_METHODS);
            assertThat(b.path("Compress").asBoolean()).as("streams pass through uncompressed").isFalse();
            assertThat(b.path("ViewerProtocolPolicy").asString()).isEqualTo("https-only");
        }
        assertThat(paths).containsExactlyInAnyOrder("/v1/*", "/v1beta/*");
        JsonNode fallback = config.path("DefaultCacheBehavior");
        assertThat(fallback.path("CachePolicyId").asString()).isEqualTo(CACHING_DISABLED);
        assertThat(fallback.path("OriginRequestPolicyId").asString()).isEqualTo(ALL_VIEWER);
        assertThat(strings(fallback.path("AllowedMethods"))).containsExactlyInAnyOrderElementsOf(ALL_METHODS);
    }

    @Test
    void shouldReachTheInternalAlbThroughAVpcOriginWithRaisedTimeoutsWhenAnswersAreSlow() {
        JsonNode origins = distributionConfig().path("Origins");
        assertThat(origins).hasSize(1);
        JsonNode vpcOrigin = origins.get(0).path("VpcOriginConfig");
        assertThat(vpcOrigin.path("OriginReadTimeout").path("Ref").asString()).isEqualTo("OriginReadTimeout");
        assertThat(vpcOrigin.path("OriginKeepaliveTimeout").asInt()).isEqualTo(60);
        assertThat(origins.get(0).has("CustomOriginConfig")).isFalse();

        String alb = LoadBalancerTest.id("AWS::ElasticLoadBalancingV2::LoadBalancer", "Alb");
        Synthesized.main().hasResourceProperties("AWS::CloudFront::VpcOrigin", Map.of(
                "VpcOriginEndpointConfig", Match.objectLike(Map.of(
                        "Arn", Map.of("Ref", alb),
                        "OriginProtocolPolicy", "http-only"))));

        JsonNode param = Synthesized.mainTree().path("Parameters").path("OriginReadTimeout");
        assertThat(param.path("Default").asInt()).isEqualTo(60);
        assertThat(strings(param.path("AllowedValues"))).contains("60", "180").allMatch(v -> Integer.parseInt(v) <= 180);
        assertThat(TollgateStack.ALB_IDLE_TIMEOUT_SECONDS).isGreaterThan(180);
    }

    @Test
    void shouldAttachTheWebAclWhenOneIsGivenOrCreated() {
        JsonNode webAclId = distributionConfig().path("WebACLId");
        assertThat(webAclId.toString())
                .isEqualTo("{\"Fn::If\":[\"HasWebAclArn\",{\"Ref\":\"WebAclArn\"},{\"Fn::If\":[\"CreateWebAcl\","
                        + "{\"Fn::GetAtt\":[\"" + LoadBalancerTest.id("AWS::WAFv2::WebACL", "WebAcl")
                        + "\",\"Arn\"]},{\"Ref\":\"AWS::NoValue\"}]}]}");
    }

    @Test
    void shouldOutputThePublicUrlsWhenDeployed() {
        JsonNode outputs = Synthesized.mainTree().path("Outputs");
        assertThat(outputs.has("CloudFrontUrl")).isTrue();
        assertThat(outputs.has("AdminUrl")).isTrue();
        assertThat(outputs.has("ApiBaseUrl")).isTrue();
        assertThat(outputs.has("AdminPasswordSecret")).isTrue();
        String cdn = LoadBalancerTest.id("AWS::CloudFront::Distribution", "Cdn");
        assertThat(outputs.path("CloudFrontUrl").path("Value").toString())
                .contains("https://").contains("\"" + cdn + "\",\"DomainName\"");
        assertThat(outputs.path("ApiBaseUrl").path("Value").toString()).contains("/v1");
    }

    static JsonNode distributionConfig() {
        return Synthesized.only("AWS::CloudFront::Distribution").path("Properties").path("DistributionConfig");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }
}
