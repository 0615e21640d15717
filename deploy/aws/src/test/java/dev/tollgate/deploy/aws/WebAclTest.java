package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebAclTest {

    @Test
    void shouldCreateTheWebAclOnlyInUsEast1WhenNoArnIsGiven() {
        JsonNode tree = Synthesized.mainTree();
        JsonNode acl = Synthesized.only("AWS::WAFv2::WebACL");
        assertThat(acl.path("Condition").asString()).isEqualTo("CreateWebAcl");
        assertThat(acl.path("Properties").path("Scope").asString()).isEqualTo("CLOUDFRONT");
        assertThat(tree.path("Conditions").path("InUsEast1").toString())
                .isEqualTo("{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},\"us-east-1\"]}");
        assertThat(tree.path("Conditions").path("CreateWebAcl").toString())
                .isEqualTo("{\"Fn::And\":[{\"Condition\":\"InUsEast1\"},{\"Fn::Not\":[{\"Condition\":\"HasWebAclArn\"}]}]}");
        assertThat(tree.path("Parameters").path("WebAclArn").path("Default").asString()).isEmpty();
    }

    @Test
    void shouldOnlyCountBodyRulesThenBlockThemOutsideModelApisWhenBodiesAreLarge() {
        Map<String, JsonNode> rules = rules(Synthesized.only("AWS::WAFv2::WebACL"));
        JsonNode common = rules.get("AWSManagedRulesCommonRuleSet");
        Map<String, String> overrides = new LinkedHashMap<>();
        for (JsonNode o : common.path("Statement").path("ManagedRuleGroupStatement").path("RuleActionOverrides")) {
            overrides.put(o.path("Name").asString(), o.path("ActionToUse").propertyNames().iterator().next());
        }
        assertThat(overrides).containsEntry("SizeRestrictions_BODY", "Count");
        assertThat(overrides.values()).containsOnly("Count");

        JsonNode body = rules.get("BodyRulesOutsideModelApis");
        assertThat(body.path("Action").has("Block")).isTrue();
        assertThat(body.path("Priority").asInt()).isGreaterThan(common.path("Priority").asInt());
        JsonNode and = body.path("Statement").path("AndStatement").path("Statements");
        List<String> labels = new ArrayList<>();
        and.get(0).path("OrStatement").path("Statements")
                .forEach(s -> labels.add(s.path("LabelMatchStatement").path("Key").asString()));
        assertThat(labels).contains("awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
        assertThat(labels).hasSameSizeAs(overrides.keySet());
        List<String> exempt = new ArrayList<>();
        and.get(1).path("NotStatement").path("Statement").path("OrStatement").path("Statements")
                .forEach(s -> exempt.add(s.path("ByteMatchStatement").path("SearchString").asString()));
        assertThat(exempt).containsExactlyInAnyOrder("/v1/", "/v1beta/");
    }

    @Test
    void shouldRateLimitLoginAndApiButNotModelCallsWhenOneAddressSendsMany() {
        Map<String, JsonNode> rules = rules(Synthesized.only("AWS::WAFv2::WebACL"));
        List<String> scopes = new ArrayList<>();
        for (JsonNode rule : rules.values()) {
            JsonNode rate = rule.path("Statement").path("RateBasedStatement");
            if (rate.isMissingNode()) {
                continue;
            }
            assertThat(rate.path("AggregateKeyType").asString()).isEqualTo("IP");
            JsonNode match = rate.path("ScopeDownStatement").path("ByteMatchStatement");
            assertThat(match.path("PositionalConstraint").asString()).isEqualTo("STARTS_WITH");
            scopes.add(match.path("SearchString").asString());
        }
        assertThat(scopes).containsExactlyInAnyOrder("/api/auth/", "/api/");
        assertThat(scopes).noneMatch(s -> s.startsWith("/v1"));
    }

    @Test
    void shouldUseTheManagedGroupsWhenFilteringTraffic() {
        Map<String, JsonNode> rules = rules(Synthesized.only("AWS::WAFv2::WebACL"));
        assertThat(rules).containsKeys("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesAmazonIpReputationList");
        List<Integer> priorities = rules.values().stream().map(r -> r.path("Priority").asInt()).toList();
        assertThat(priorities).doesNotHaveDuplicates();
    }

    @Test
    void shouldShipTheSameRulesInTheEdgeStackWhenDeployedOutsideUsEast1() {
        JsonNode waf = Synthesized.JSON.readTree(Synthesized.read(Synthesized.templateFile(TollgateApp.WAF_STACK)));
        JsonNode aclInWaf = null;
        for (JsonNode r : waf.path("Resources")) {
            if ("AWS::WAFv2::WebACL".equals(r.path("Type").asString())) {
                aclInWaf = r;
            }
        }
        assertThat(aclInWaf).isNotNull();
        assertThat(aclInWaf.has("Condition")).isFalse();
        assertThat(aclInWaf.path("Properties").path("Rules"))
                .isEqualTo(Synthesized.only("AWS::WAFv2::WebACL").path("Properties").path("Rules"));
        assertThat(waf.path("Outputs").has("WebAclArn")).isTrue();
    }

    static Map<String, JsonNode> rules(JsonNode acl) {
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        acl.path("Properties").path("Rules").forEach(r -> rules.put(r.path("Name").asString(), r));
        return rules;
    }
}
