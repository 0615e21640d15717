package dev.tollgate.deploy.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnConditionProps;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnParameterProps;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CfnResourceProps;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.CustomResourceProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Construct;

/**
 * Kafka as a parameter: an MSK Serverless cluster (IAM auth), a small provisioned MSK cluster (two brokers, IAM
 * auth), or an external bootstrap string. The MSK resources exist only under their conditions; their bootstrap
 * string comes from a small inline Lambda (CloudFormation has no attribute for it), so the template stays
 * asset-free. Services get {@link #bootstrap()}, {@link #auth()} and {@link #replication()} as environment.
 */
final class KafkaChoice extends Construct {

    static final String SERVERLESS = "msk-serverless";
    static final String PROVISIONED = "msk-provisioned";
    static final String EXTERNAL = "external";

    /** Our topics and the ledger's consumer groups (DESIGN.md, Kafka); production runs with the empty prefix. */
    static final String USAGE = "tollgate.usage.v1";
    static final String COMMANDS = "tollgate.commands.v1";
    static final String CHANGES = "tollgate.changes.v1";
    static final String USAGE_DLQ = "tollgate.usage.dlq.v1";
    static final List<String> ALL_TOPICS = List.of(USAGE, COMMANDS, CHANGES, USAGE_DLQ);
    static final String LEDGER_GROUPS = "tollgate-ledger*";

    /** The inline Lambda: asks MSK for the IAM bootstrap string of the cluster it is given. */
    static final String BOOTSTRAP_LAMBDA = String.join("\n",
            "import boto3, cfnresponse",
            "",
            "def handler(event, context):",
            "    arn = event['ResourceProperties']['ClusterArn']",
            "    data = {}",
            "    try:",
            "        if event['RequestType'] != 'Delete':",
            "            brokers = boto3.client('kafka').get_bootstrap_brokers(ClusterArn=arn)",
            "            data['BootstrapBrokers'] = brokers['BootstrapBrokerStringSaslIam']",
            "        cfnresponse.send(event, context, cfnresponse.SUCCESS, data, arn)",
            "    except Exception as e:",
            "        print('bootstrap brokers of %s: %s' % (arn, e))",
            "        cfnresponse.send(event, context, cfnresponse.FAILED, data, arn)",
            "");

    private final CfnCondition serverless;
    private final CfnCondition provisioned;
    private final CfnCondition msk;
    private final SecurityGroup securityGroup;
    private final String clusterArn;
    private final String bootstrap;
    private final String auth;
    private final String replication;

    KafkaChoice(Construct scope, String id, IVpc vpc) {
        super(scope, id);
        CfnParameter mode = new CfnParameter(scope, "KafkaMode", CfnParameterProps.builder()
                .type("String")
                .defaultValue(SERVERLESS)
                .allowedValues(List.of(SERVERLESS, PROVISIONED, EXTERNAL))
                .description("Kafka for the services: " + SERVERLESS + " (Amazon MSK Serverless, IAM auth), "
                        + PROVISIONED + " (2 brokers, IAM auth) or " + EXTERNAL + " (ExternalKafkaBootstrap)")
                .build());
        CfnParameter external = new CfnParameter(scope, "ExternalKafkaBootstrap", CfnParameterProps.builder()
                .type("String")
                .defaultValue("")
                .description("KafkaMode=external: bootstrap servers (host:port,...) reachable from the VPC")
                .build());
        CfnParameter externalAuth = new CfnParameter(scope, "ExternalKafkaAuth", CfnParameterProps.builder()
                .type("String")
                .defaultValue("none")
                .allowedValues(List.of("none", "msk-iam"))
                .description("KafkaMode=external: TOLLGATE_KAFKA_AUTH for that cluster")
                .build());
        CfnParameter externalReplication = new CfnParameter(scope, "ExternalKafkaReplication",
                CfnParameterProps.builder()
                        .type("String")
                        .defaultValue("3")
                        .allowedPattern("^[1-9][0-9]*$")
                        .description("KafkaMode=external: replication factor of the topics the ledger creates")
                        .build());
        CfnParameter brokerType = new CfnParameter(scope, "MskBrokerInstanceType", CfnParameterProps.builder()
                .type("String")
                .defaultValue("kafka.t3.small")
                .description("KafkaMode=" + PROVISIONED + ": broker instance type (two brokers, one per AZ)")
                .build());

        serverless = new CfnCondition(scope, "IsMskServerless", CfnConditionProps.builder()
                .expression(Fn.conditionEquals(mode.getValueAsString(), SERVERLESS)).build());
        provisioned = new CfnCondition(scope, "IsMskProvisioned", CfnConditionProps.builder()
                .expression(Fn.conditionEquals(mode.getValueAsString(), PROVISIONED)).build());
        msk = new CfnCondition(scope, "IsMsk", CfnConditionProps.builder()
                .expression(Fn.conditionOr(serverless, provisioned)).build());

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("Tollgate MSK brokers: IAM/TLS port from the services only")
                .allowAllOutbound(false)
                .build());
        List<String> subnets = vpc.selectSubnets(SubnetSelection.builder()
                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds();
        String clusterName = Fn.join("-", List.of(Aws.STACK_NAME, "kafka"));

        CfnResource serverlessCluster = new CfnResource(this, "Serverless", CfnResourceProps.builder()
                .type("AWS::MSK::ServerlessCluster")
                .properties(Ordered.map(
                        "ClusterName", clusterName,
                        "ClientAuthentication", Ordered.map("Sasl", Ordered.map("Iam", Ordered.map("Enabled", true))),
                        "VpcConfigs", List.of(Ordered.map(
                                "SubnetIds", subnets,
                                "SecurityGroups", List.of(securityGroup.getSecurityGroupId())))))
                .build());
        serverlessCluster.getCfnOptions().setCondition(serverless);

        CfnResource provisionedCluster = new CfnResource(this, "Provisioned", CfnResourceProps.builder()
                .type("AWS::MSK::Cluster")
                .properties(Ordered.map(
                        "ClusterName", clusterName,
                        "KafkaVersion", "3.9.x",
                        "NumberOfBrokerNodes", 2,
                        "BrokerNodeGroupInfo", Ordered.map(
                                "InstanceType", brokerType.getValueAsString(),
                                "ClientSubnets", subnets,
                                "SecurityGroups", List.of(securityGroup.getSecurityGroupId()),
                                "StorageInfo", Ordered.map("EBSStorageInfo", Ordered.map("VolumeSize", 50))),
                        "ClientAuthentication", Ordered.map(
                                "Sasl", Ordered.map("Iam", Ordered.map("Enabled", true)),
                                "Unauthenticated", Ordered.map("Enabled", false)),
                        "EncryptionInfo", Ordered.map("EncryptionInTransit",
                                Ordered.map("ClientBroker", "TLS", "InCluster", true))))
                .build());
        provisionedCluster.getCfnOptions().setCondition(provisioned);

        // Ref of AWS::MSK::Cluster is its ARN.
        clusterArn = Token.asString(Fn.conditionIf(serverless.getLogicalId(),
                serverlessCluster.getAtt("Arn"), provisionedCluster.getRef()));

        Construct lookup = new Construct(this, "BootstrapLookup");
        LogGroup lookupLogs = new LogGroup(lookup, "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        Function fn = new Function(lookup, "Function", FunctionProps.builder()
                .runtime(Runtime.PYTHON_3_12)
                .handler("index.handler")
                .code(Code.fromInline(BOOTSTRAP_LAMBDA))
                .timeout(Duration.seconds(60))
                .description("Tollgate: reads the MSK cluster's IAM bootstrap brokers for the stack")
                .logGroup(lookupLogs)
                .build());
        fn.addToRolePolicy(new PolicyStatement(PolicyStatementProps.builder()
                .actions(List.of("kafka:GetBootstrapBrokers"))
                .resources(List.of(clusterArn))
                .build()));
        CustomResource brokers = new CustomResource(lookup, "Brokers", CustomResourceProps.builder()
                .serviceToken(fn.getFunctionArn())
                .resourceType("Custom::MskBootstrapBrokers")
                .properties(Ordered.map("ClusterArn", clusterArn))
                .build());
        Conditions.applyTo(lookup, msk);

        bootstrap = Token.asString(Fn.conditionIf(msk.getLogicalId(),
                brokers.getAttString("BootstrapBrokers"), external.getValueAsString()));
        auth = Token.asString(Fn.conditionIf(msk.getLogicalId(), "msk-iam", externalAuth.getValueAsString()));
        // MSK Serverless keeps 3 replicas; the provisioned cluster has 2 brokers.
        replication = Token.asString(Fn.conditionIf(serverless.getLogicalId(), "3",
                Fn.conditionIf(provisioned.getLogicalId(), "2", externalReplication.getValueAsString())));
    }

    String bootstrap() {
        return bootstrap;
    }

    String auth() {
        return auth;
    }

    String replication() {
        return replication;
    }

    /** Lets a service's security group reach the brokers (9098: SASL/IAM over TLS). */
    void allowFrom(ISecurityGroup client) {
        securityGroup.addIngressRule(Peer.securityGroupId(client.getSecurityGroupId()), Port.tcp(9098),
                "Kafka (IAM) from " + client.getNode().getPath());
        client.addEgressRule(Peer.securityGroupId(securityGroup.getSecurityGroupId()), Port.tcp(9098),
                "Kafka (IAM)");
    }

    /**
     * The service's Kafka rights, scoped to this cluster, our topics and (for the ledger) its groups; only when
     * the stack runs MSK (an external cluster has its own auth).
     */
    void grant(Construct scope, String id, IRole role, Access access) {
        String name = Fn.select(1, Fn.split("/", clusterArn));
        String uuid = Fn.select(2, Fn.split("/", clusterArn));
        List<PolicyStatement> statements = new ArrayList<>();
        List<String> clusterActions = new ArrayList<>(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"));
        if (!access.write().isEmpty()) {
            clusterActions.add("kafka-cluster:WriteDataIdempotently");
        }
        statements.add(statement(clusterActions, List.of(clusterArn)));
        if (!access.read().isEmpty()) {
            statements.add(statement(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
                    topicArns(name, uuid, access.read())));
        }
        if (!access.write().isEmpty()) {
            statements.add(statement(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"),
                    topicArns(name, uuid, access.write())));
        }
        if (access.createTopics()) {
            statements.add(statement(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic"),
                    topicArns(name, uuid, ALL_TOPICS)));
        }
        if (access.groups() != null) {
            statements.add(statement(List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"),
                    List.of(arn("group", name, uuid, access.groups()))));
        }
        Policy policy = new Policy(scope, id, PolicyProps.builder()
                .roles(List.of(role))
                .statements(statements)
                .build());
        Conditions.applyTo(policy, msk);
    }

    /** What one service does on Kafka. */
    record Access(List<String> read, List<String> write, boolean createTopics, String groups) {
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return new PolicyStatement(PolicyStatementProps.builder().actions(actions).resources(resources).build());
    }

    private static List<String> topicArns(String name, String uuid, List<String> topics) {
        return topics.stream().map(t -> arn("topic", name, uuid, t)).toList();
    }

    private static String arn(String kind, String name, String uuid, String resource) {
        return Fn.sub("arn:${AWS::Partition}:kafka:${AWS::Region}:${AWS::AccountId}:" + kind
                + "/${Name}/${Uuid}/" + resource, new java.util.TreeMap<>(Map.of("Name", name, "Uuid", uuid)));
    }
}
