package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class KafkaTest {

    @Test
    void shouldOfferServerlessProvisionedOrExternalKafkaWhenTheStackIsLaunched() {
        JsonNode mode = Synthesized.mainTree().path("Parameters").path("KafkaMode");
        assertThat(CloudFrontTest.strings(mode.path("AllowedValues")))
                .containsExactly("msk-serverless", "msk-provisioned", "external");
        assertThat(mode.path("Default").asString()).isEqualTo("msk-serverless");

        JsonNode serverless = Synthesized.only("AWS::MSK::ServerlessCluster");
        assertThat(serverless.path("Condition").asString()).isEqualTo("IsMskServerless");
        assertThat(serverless.path("Properties").path("ClientAuthentication").path("Sasl").path("Iam")
                .path("Enabled").asBoolean()).isTrue();
        JsonNode provisioned = Synthesized.only("AWS::MSK::Cluster");
        assertThat(provisioned.path("Condition").asString()).isEqualTo("IsMskProvisioned");
        assertThat(provisioned.path("Properties").path("NumberOfBrokerNodes").asInt()).isEqualTo(2);
        assertThat(provisioned.path("Properties").path("ClientAuthentication").path("Unauthenticated")
                .path("Enabled").asBoolean()).isFalse();
    }

    @Test
    void shouldHandTheServicesBootstrapAndAuthWhenKafkaIsChosen() {
        for (String s : new String[] {"relay", "ledger", "admin"}) {
            assertThat(ServicesTest.environment(s).get("TOLLGATE_KAFKA_AUTH"))
                    .isEqualTo("{\"Fn::If\":[\"IsMsk\",\"msk-iam\",{\"Ref\":\"ExternalKafkaAuth\"}]}");
            String bootstrap = ServicesTest.environment(s).get("TOLLGATE_KAFKA_BOOTSTRAP");
            assertThat(bootstrap).startsWith("{\"Fn::If\":[\"IsMsk\",{\"Fn::GetAtt\":[")
                    .contains("\"BootstrapBrokers\"]}").endsWith("{\"Ref\":\"ExternalKafkaBootstrap\"}]}");
        }
        assertThat(ServicesTest.environment("ledger").get("TOLLGATE_KAFKA_REPLICATION"))
                .isEqualTo("{\"Fn::If\":[\"IsMskServerless\",\"3\",{\"Fn::If\":[\"IsMskProvisioned\",\"2\","
                        + "{\"Ref\":\"ExternalKafkaReplication\"}]}]}");
    }

    @Test
    void shouldLookUpTheBrokersWithAnInlineFunctionWhenMskIsUsed() {
        JsonNode lookup = Synthesized.only("Custom::MskBootstrapBrokers");
        assertThat(lookup.path("Condition").asString()).isEqualTo("IsMsk");
        JsonNode fn = Synthesized.only("AWS::Lambda::Function");
        assertThat(fn.path("Condition").asString()).isEqualTo("IsMsk");
        assertThat(fn.path("Properties").path("Code").path("ZipFile").asString())
                .contains("get_bootstrap_brokers").contains("BootstrapBrokerStringSaslIam");
        assertThat(fn.path("Properties").path("Code").has("S3Bucket")).isFalse();
    }

    @Test
    void shouldOpenTheIamPortOnlyToTheServicesWhenBrokersAreReached() {
        JsonNode sg = Synthesized.resources("AWS::EC2::SecurityGroup").entrySet().stream()
                .filter(e -> e.getKey().startsWith("KafkaSecurityGroup")).findFirst().orElseThrow().getValue();
        JsonNode ingress = sg.path("Properties").path("SecurityGroupIngress");
        assertThat(ingress).hasSize(3);
        for (JsonNode rule : ingress) {
            assertThat(rule.path("FromPort").asInt()).isEqualTo(9098);
            assertThat(rule.path("ToPort").asInt()).isEqualTo(9098);
            assertThat(rule.has("SourceSecurityGroupId")).isTrue();
            assertThat(rule.has("CidrIp")).isFalse();
        }
    }
}
