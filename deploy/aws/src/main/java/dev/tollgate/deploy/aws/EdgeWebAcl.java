package dev.tollgate.deploy.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLProps;
import software.constructs.Construct;

/**
 * The CLOUDFRONT-scope web ACL in front of Tollgate, tuned for LLM traffic. Such a web ACL can only live in
 * us-east-1: the main stack makes it there itself (a condition), elsewhere {@link TollgateWafStack} does.
 *
 * <ul>
 *   <li>Per-IP rate limits on {@code /api/auth/*} (login) and {@code /api/*} (admin and customer API) only:
 *       customers who call {@code /v1/*} from one address (a NAT, a server) are never throttled here.</li>
 *   <li>AWS managed groups: IP reputation, known bad inputs, and the common rule set, whose body rules
 *       (8 KB size limit, XSS/LFI/RFI/SSRF patterns) only count, since chat requests are larger than 8 KB and
 *       prompts carry code and URLs. A rule of ours then blocks what those rules labelled, except on the
 *       model APIs {@code /v1/*} and {@code /v1beta/*}.</li>
 * </ul>
 */
final class EdgeWebAcl extends Construct {

    /** Login attempts per IP in 5 minutes. */
    static final int LOGIN_LIMIT = 100;
    /** Admin/customer API calls per IP in 5 minutes (the web UI polls a little). */
    static final int API_LIMIT = 3000;

    /** Common rule set rules that inspect the body: counted, then blocked by our rule outside the model APIs. */
    static final List<String> BODY_RULES = List.of("SizeRestrictions_BODY", "CrossSiteScripting_BODY",
            "GenericLFI_BODY", "GenericRFI_BODY", "EC2MetaDataSSRF_BODY");
    static final String BODY_LABEL_PREFIX = "awswaf:managed:aws:core-rule-set:";
    static final List<String> MODEL_API_PREFIXES = List.of("/v1/", "/v1beta/");

    private final CfnWebACL acl;

    EdgeWebAcl(Construct scope, String id) {
        super(scope, id);
        acl = new CfnWebACL(this, "Acl", CfnWebACLProps.builder()
                .scope("CLOUDFRONT")
                .description("Tollgate: managed rules tuned for LLM API traffic, rate limits on login and /api")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder()
                        .allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(CfnWebACL.VisibilityConfigProperty.builder()
                        .cloudWatchMetricsEnabled(true)
                        .sampledRequestsEnabled(true)
                        .metricName("tollgate")
                        .build())
                .build());
        // Written as CloudFormation JSON: it reads like the WAF documentation and is checked against the spec.
        acl.addPropertyOverride("Rules", rules());
    }

    String arn() {
        return acl.getAttrArn();
    }

    CfnWebACL resource() {
        return acl;
    }

    static List<Map<String, Object>> rules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        rules.add(rule("RateLimitLogin", 0, block(), Ordered.map("RateBasedStatement", rate(LOGIN_LIMIT, "/api/auth/"))));
        rules.add(rule("RateLimitApi", 1, block(), Ordered.map("RateBasedStatement", rate(API_LIMIT, "/api/"))));
        rules.add(managed("AWSManagedRulesAmazonIpReputationList", 2, List.of()));
        rules.add(managed("AWSManagedRulesKnownBadInputsRuleSet", 3, List.of()));
        rules.add(managed("AWSManagedRulesCommonRuleSet", 4, BODY_RULES));
        List<Object> labels = BODY_RULES.stream()
                .map(r -> (Object) Ordered.map("LabelMatchStatement", Ordered.map(
                        "Scope", "LABEL", "Key", BODY_LABEL_PREFIX + r.replace("_BODY", "_Body"))))
                .toList();
        List<Object> modelApis = MODEL_API_PREFIXES.stream().map(p -> (Object) startsWith(p)).toList();
        rules.add(rule("BodyRulesOutsideModelApis", 5, block(), Ordered.map("AndStatement", Ordered.map("Statements", List.of(
                Ordered.map("OrStatement", Ordered.map("Statements", labels)),
                Ordered.map("NotStatement", Ordered.map("Statement", Ordered.map("OrStatement", Ordered.map("Statements", modelApis)))))))));
        return rules;
    }

    private static Map<String, Object> rate(int limit, String pathPrefix) {
        return Ordered.map(
                "Limit", limit,
                "EvaluationWindowSec", 300,
                "AggregateKeyType", "IP",
                "ScopeDownStatement", startsWith(pathPrefix));
    }

    private static Map<String, Object> startsWith(String prefix) {
        return Ordered.map("ByteMatchStatement", Ordered.map(
                "FieldToMatch", Ordered.map("UriPath", Ordered.map()),
                "PositionalConstraint", "STARTS_WITH",
                "SearchString", prefix,
                "TextTransformations", List.of(Ordered.map("Priority", 0, "Type", "NONE"))));
    }

    private static Map<String, Object> managed(String name, int priority, List<String> countOnly) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("VendorName", "AWS");
        group.put("Name", name);
        if (!countOnly.isEmpty()) {
            group.put("RuleActionOverrides", countOnly.stream()
                    .map(r -> Ordered.map("Name", r, "ActionToUse", Ordered.map("Count", Ordered.map())))
                    .toList());
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("Name", name);
        rule.put("Priority", priority);
        rule.put("OverrideAction", Ordered.map("None", Ordered.map()));
        rule.put("Statement", Ordered.map("ManagedRuleGroupStatement", group));
        rule.put("VisibilityConfig", visibility(name));
        return rule;
    }

    private static Map<String, Object> rule(String name, int priority, Map<String, Object> action,
            Map<String, Object> statement) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("Name", name);
        rule.put("Priority", priority);
        rule.put("Action", action);
        rule.put("Statement", statement);
        rule.put("VisibilityConfig", visibility(name));
        return rule;
    }

    private static Map<String, Object> block() {
        return Ordered.map("Block", Ordered.map());
    }

    private static Map<String, Object> visibility(String name) {
        return Ordered.map("SampledRequestsEnabled", true, "CloudWatchMetricsEnabled", true, "MetricName", name);
    }
}
