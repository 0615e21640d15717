package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The template against the CloudFormation resource specification (npm @aws-cdk/aws-service-spec, through
 * tools/check-template.cjs) and against our cfn-guard rules (guard/*.guard, with the cfn-guard binary of npm
 * @cdklabs/cdk-validator-cfnguard); each check is also shown to catch a broken template.
 */
class OfflineChecksTest {

    @BeforeAll
    static void tools() {
        NodeTools.ensureInstalled();
    }

    @Test
    void shouldMatchTheResourceSpecificationWhenSynthesized() {
        NodeTools.Result r = specCheck(Synthesized.templateFile(TollgateApp.MAIN_STACK),
                Synthesized.templateFile(TollgateApp.WAF_STACK));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("OK ").doesNotContain("FAIL");
    }

    @Test
    void shouldReportUnknownPropertiesAndBadValuesWhenTheTemplateIsWrong() throws IOException {
        Path bad = mutated("spec", t -> {
            ObjectNode cdn = (ObjectNode) resource(t, "AWS::CloudFront::Distribution").path("Properties")
                    .path("DistributionConfig");
            ((ObjectNode) cdn.path("Origins").get(0).path("VpcOriginConfig")).put("OriginReadTimeoutSeconds", 60);
            ((ObjectNode) resource(t, "AWS::RDS::DBCluster").path("Properties")).put("StorageEncrypted", "yes");
            ((ObjectNode) resource(t, "AWS::WAFv2::WebACL")).put("Type", "AWS::WAFv2::WebAcl");
        });
        NodeTools.Result r = specCheck(bad);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("unknown property OriginReadTimeoutSeconds")
                .contains("StorageEncrypted: expected boolean")
                .contains("unknown resource type AWS::WAFv2::WebAcl");
    }

    @Test
    void shouldPassOurGuardRulesWhenSynthesized() {
        NodeTools.Result r = guard(Synthesized.templateFile(TollgateApp.MAIN_STACK));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("alb_internal").contains("aurora_storage_encrypted")
                .contains("no_secret_names_in_task_environment").doesNotContain("FAIL");
    }

    @Test
    void shouldFailTheGuardRulesWhenSomethingIsPublicUnencryptedOrASecretIsPlain() throws IOException {
        assertGuardFails("public-alb", "alb_internal",
                t -> ((ObjectNode) resource(t, "AWS::ElasticLoadBalancingV2::LoadBalancer").path("Properties"))
                        .put("Scheme", "internet-facing"));
        assertGuardFails("unencrypted", "aurora_storage_encrypted",
                t -> ((ObjectNode) resource(t, "AWS::RDS::DBCluster").path("Properties")).put("StorageEncrypted", false));
        assertGuardFails("public-ip", "tasks_without_public_ip",
                t -> ((ObjectNode) resource(t, "AWS::ECS::Service").path("Properties").path("NetworkConfiguration")
                        .path("AwsvpcConfiguration")).put("AssignPublicIp", "ENABLED"));
        assertGuardFails("open-sg", "no_ingress_from_internet_inline",
                t -> ((ObjectNode) resource(t, "AWS::EC2::SecurityGroup").path("Properties"))
                        .putArray("SecurityGroupIngress").addObject()
                        .put("CidrIp", "0.0.0.0/0").put("IpProtocol", "tcp").put("FromPort", 80).put("ToPort", 80));
        assertGuardFails("plain-secret", "no_secret_names_in_task_environment",
                t -> ((ArrayNode) resource(t, "AWS::ECS::TaskDefinition").path("Properties")
                        .path("ContainerDefinitions").get(0).path("Environment")).addObject()
                        .put("Name", "TOLLGATE_MASTER_KEY").put("Value", "oops"));
    }

    private void assertGuardFails(String name, String rule, Consumer<ObjectNode> mutation) throws IOException {
        NodeTools.Result r = guard(mutated(name, mutation));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).containsPattern("(?m)" + rule + "\\s+FAIL");
    }

    static NodeTools.Result specCheck(Path... templates) {
        String[] cmd = new String[templates.length + 2];
        cmd[0] = "node";
        cmd[1] = NodeTools.toolsDir().resolve("check-template.cjs").toString();
        for (int i = 0; i < templates.length; i++) {
            cmd[i + 2] = templates[i].toString();
        }
        return NodeTools.run(NodeTools.toolsDir(), 120, cmd);
    }

    static NodeTools.Result guard(Path template) {
        return NodeTools.run(Synthesized.moduleDir(), 120, NodeTools.cfnGuard().toString(), "validate",
                "--data", template.toString(), "--rules", Synthesized.moduleDir().resolve("guard").toString(),
                "--show-summary", "all");
    }

    static Path mutated(String name, Consumer<ObjectNode> mutation) throws IOException {
        ObjectNode tree = Synthesized.mainTree();
        mutation.accept(tree);
        Path dir = Synthesized.moduleDir().resolve("target/mutated-templates");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".template.json");
        Files.writeString(file, Synthesized.JSON.writeValueAsString(tree));
        return file;
    }

    static JsonNode resource(JsonNode template, String type) {
        for (JsonNode r : template.path("Resources")) {
            if (type.equals(r.path("Type").asString())) {
                return r;
            }
        }
        throw new AssertionError("no " + type);
    }
}
