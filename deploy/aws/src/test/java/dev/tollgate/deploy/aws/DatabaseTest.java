package dev.tollgate.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DatabaseTest {

    @Test
    void shouldEncryptAndManageThePasswordWhenTheClusterIsCreated() {
        JsonNode p = Synthesized.only("AWS::RDS::DBCluster").path("Properties");
        assertThat(p.path("Engine").asString()).isEqualTo("aurora-mysql");
        assertThat(p.path("EngineVersion").asString()).startsWith("8.0.mysql_aurora.3.");
        assertThat(p.path("StorageEncrypted").asBoolean()).isTrue();
        assertThat(p.path("ManageMasterUserPassword").asBoolean()).isTrue();
        assertThat(p.has("MasterUserPassword")).isFalse();
        assertThat(p.path("MasterUsername").asString()).isEqualTo("tollgate");
        assertThat(p.path("DatabaseName").asString()).isEqualTo("tollgate");
        assertThat(Synthesized.resources("AWS::SecretsManager::Secret").values())
                .as("no CDK-generated database secret beside the one RDS manages")
                .noneMatch(s -> s.toString().contains("\"username\""));
    }

    @Test
    void shouldScaleToZeroAndPauseWhenTheParametersSaySo() {
        JsonNode tree = Synthesized.mainTree();
        JsonNode scaling = Synthesized.only("AWS::RDS::DBCluster").path("Properties")
                .path("ServerlessV2ScalingConfiguration");
        assertThat(scaling.path("MinCapacity").path("Ref").asString()).isEqualTo("DbMinCapacity");
        assertThat(scaling.path("MaxCapacity").path("Ref").asString()).isEqualTo("DbMaxCapacity");
        assertThat(scaling.path("SecondsUntilAutoPause").toString())
                .isEqualTo("{\"Fn::If\":[\"DbPauses\",{\"Ref\":\"DbAutoPauseSeconds\"},{\"Ref\":\"AWS::NoValue\"}]}");
        assertThat(tree.path("Parameters").path("DbMinCapacity").path("Default").asString()).isEqualTo("0");
        assertThat(tree.path("Conditions").path("DbPauses").toString())
                .isEqualTo("{\"Fn::Equals\":[{\"Ref\":\"DbMinCapacity\"},\"0\"]}");
        JsonNode pause = tree.path("Parameters").path("DbAutoPauseSeconds");
        assertThat(pause.path("MinValue").asInt()).isEqualTo(300);
        assertThat(pause.path("MaxValue").asInt()).isEqualTo(86400);
    }

    @Test
    void shouldHaveAWriterAndAReaderInIsolatedSubnetsWhenDeployed() {
        Map<String, JsonNode> instances = Synthesized.resources("AWS::RDS::DBInstance");
        assertThat(instances).hasSize(2);
        for (JsonNode i : instances.values()) {
            assertThat(i.path("Properties").path("DBInstanceClass").asString()).isEqualTo("db.serverless");
            assertThat(i.path("Properties").path("PubliclyAccessible").asBoolean(false)).isFalse();
        }
        JsonNode subnetGroup = Synthesized.only("AWS::RDS::DBSubnetGroup").path("Properties").path("SubnetIds");
        subnetGroup.forEach(s -> assertThat(s.path("Ref").asString()).contains("isolated"));
    }

    @Test
    void shouldAcceptMysqlOnlyFromTheThreeServicesWhenConnected() {
        Map<String, JsonNode> rules = Synthesized.resources("AWS::EC2::SecurityGroupIngress");
        long mysql = rules.values().stream()
                .filter(r -> r.path("Properties").path("FromPort").toString().contains("Endpoint.Port"))
                .peek(r -> assertThat(r.path("Properties").has("SourceSecurityGroupId")).isTrue())
                .count();
        assertThat(mysql).isEqualTo(3);
    }
}
