package dev.tollgate.deploy.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnConditionProps;
import software.amazon.awscdk.CfnMapping;
import software.amazon.awscdk.CfnMappingProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnParameterProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.DistributionProps;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.IOrigin;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.VpcOrigin;
import software.amazon.awscdk.services.cloudfront.origins.VpcOriginWithEndpointProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.ecs.AvailabilityZoneRebalancing;
import software.amazon.awscdk.services.ecs.CfnTaskDefinition;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ClusterProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateServiceProps;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.FargateTaskDefinitionProps;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationActionProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroupProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.PolicyStatementProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.rds.AuroraMysqlClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraMysqlEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.DatabaseClusterProps;
import software.amazon.awscdk.services.rds.ServerlessV2ClusterInstanceProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Tollgate on AWS, the one-click template: a VPC over two AZs, Aurora Serverless v2 MySQL, Kafka (MSK or
 * external), the three services on ECS Fargate behind an internal ALB, and CloudFront (with a VPC origin, so the
 * ALB stays private) plus AWS WAF in front. Environment-agnostic: everything region-specific is a parameter, a
 * condition or a pseudo parameter, and nothing needs a CDK bootstrap (no assets).
 */
public final class TollgateStack extends Stack {

    static final int RELAY_PORT = 8080;
    static final int ADMIN_PORT = 8081;
    static final int LEDGER_PORT = 8082;
    static final String DB_NAME = "tollgate";
    static final String DB_USER = "tollgate";
    static final String MASTER_KEY_ID = "TOLLGATE_MASTER_KEY_ID";
    static final String MASTER_KEYS_OLD = "TOLLGATE_MASTER_KEYS_OLD";
    /** ALB idle timeout: above CloudFront's longest origin read timeout (180 s) and the relay's own. */
    static final int ALB_IDLE_TIMEOUT_SECONDS = 360;
    /** CloudFront keeps connections to the ALB open this long (its maximum without a quota increase). */
    static final int ORIGIN_KEEPALIVE_SECONDS = 60;
    /** CloudFront origin read timeouts offered; above 60 s needs a quota increase (README). */
    static final List<String> ORIGIN_READ_TIMEOUTS = List.of("30", "60", "90", "120", "180");
    static final List<String> MODEL_API_PATHS = List.of("/v1/*", "/v1beta/*");
    static final String READINESS_PATH = "/actuator/health/readiness";

    private final IVpc vpc;
    private final Cluster cluster;
    private final CfnParameter architecture;

    public TollgateStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        getTemplateOptions().setDescription("Tollgate LLM API gateway: CloudFront + WAF, internal ALB, ECS Fargate "
                + "(relay, ledger, admin), Aurora Serverless v2 MySQL, Kafka (MSK or external)");

        // ---- parameters ------------------------------------------------------------------------------------
        CfnParameter relayImage = imageParameter("RelayImage", "relay");
        CfnParameter ledgerImage = imageParameter("LedgerImage", "ledger");
        CfnParameter adminImage = imageParameter("AdminImage", "admin");
        architecture = new CfnParameter(this, "CpuArchitecture", CfnParameterProps.builder()
                .type("String").defaultValue("X86_64").allowedValues(List.of("X86_64", "ARM64"))
                .description("CPU architecture of the images (ARM64 = Graviton, about 20% cheaper)").build());
        CfnParameter relayMin = new CfnParameter(this, "RelayMinTasks", CfnParameterProps.builder()
                .type("Number").defaultValue(2).minValue(1)
                .description("Relay tasks at least (one per AZ for availability)").build());
        CfnParameter relayMax = new CfnParameter(this, "RelayMaxTasks", CfnParameterProps.builder()
                .type("Number").defaultValue(10).minValue(1)
                .description("Relay tasks at most (target tracking on CPU and requests)").build());
        CfnParameter dbMin = new CfnParameter(this, "DbMinCapacity", CfnParameterProps.builder()
                .type("Number").defaultValue(0).allowedValues(List.of("0", "0.5", "1", "2", "4"))
                .description("Aurora Serverless v2 minimum ACUs; 0 lets the database pause when idle "
                        + "(the first query after a pause waits about 15 s)").build());
        CfnParameter dbMax = new CfnParameter(this, "DbMaxCapacity", CfnParameterProps.builder()
                .type("Number").defaultValue(4).minValue(1).maxValue(256)
                .description("Aurora Serverless v2 maximum ACUs").build());
        CfnParameter dbPause = new CfnParameter(this, "DbAutoPauseSeconds", CfnParameterProps.builder()
                .type("Number").defaultValue(900).minValue(300).maxValue(86400)
                .description("With DbMinCapacity 0: idle seconds before the database pauses").build());
        CfnParameter readTimeout = new CfnParameter(this, "OriginReadTimeout", CfnParameterProps.builder()
                .type("Number").defaultValue(60).allowedValues(ORIGIN_READ_TIMEOUTS)
                .description("CloudFront origin read timeout in seconds (first byte and between bytes); above 60 "
                        + "needs a CloudFront quota increase (see README). The relay's upstream timeout follows it.")
                .build());
        CfnParameter webAclArn = new CfnParameter(this, "WebAclArn", CfnParameterProps.builder()
                .type("String").defaultValue("")
                .description("ARN of a CLOUDFRONT-scope web ACL (from tollgate-waf.template.json in us-east-1). "
                        + "Empty: the stack creates one when deployed in us-east-1, else CloudFront runs without WAF")
                .build());

        CfnParameter otlpEndpoint = new CfnParameter(this, "OtlpEndpoint", CfnParameterProps.builder()
                .type("String").defaultValue("").allowedPattern("^(https?://.+)?$")
                .description("OTLP/HTTP traces URL of a collector the tasks reach (e.g. an ADOT collector's "
                        + "http://host:4318/v1/traces). Empty: tracing off")
                .build());
        CfnParameter traceSampling = new CfnParameter(this, "TraceSampling", CfnParameterProps.builder()
                .type("String").defaultValue("1.0").allowedPattern("^(0(\\.[0-9]+)?|1(\\.0+)?)$")
                .description("With OtlpEndpoint: the share of new traces kept, 0..1")
                .build());

        // Relay upstream timeout a few seconds under CloudFront's read timeout, so the relay answers (or fails
        // over) before CloudFront gives up on the origin.
        CfnMapping relayTimeouts = new CfnMapping(this, "RelayTimeouts", CfnMappingProps.builder()
                .mapping(relayTimeoutMapping()).build());
        String relayUpstreamTimeout = relayTimeouts.findInMap(readTimeout.getValueAsString(), "Upstream");

        // ---- network -----------------------------------------------------------------------------------
        vpc = new Vpc(this, "Vpc", VpcProps.builder()
                .maxAzs(2)
                .natGateways(2)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC)
                                .cidrMask(24).mapPublicIpOnLaunch(false).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(20).build(),
                        SubnetConfiguration.builder().name("isolated").subnetType(SubnetType.PRIVATE_ISOLATED)
                                .cidrMask(24).build()))
                .build());
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();

        SecurityGroup albSg = securityGroup("AlbSecurityGroup", "Tollgate ALB: HTTP from the VPC (CloudFront VPC origin)");
        albSg.addIngressRule(Peer.ipv4(vpc.getVpcCidrBlock()), Port.tcp(80), "CloudFront VPC origin ENIs");
        SecurityGroup relaySg = securityGroup("RelaySecurityGroup", "Tollgate relay tasks");
        SecurityGroup ledgerSg = securityGroup("LedgerSecurityGroup", "Tollgate ledger task");
        SecurityGroup adminSg = securityGroup("AdminSecurityGroup", "Tollgate admin tasks");
        relaySg.addIngressRule(albSg, Port.tcp(RELAY_PORT), "ALB to relay");
        adminSg.addIngressRule(albSg, Port.tcp(ADMIN_PORT), "ALB to admin");

        // ---- secrets -----------------------------------------------------------------------------------
        software.amazon.awscdk.services.secretsmanager.Secret masterKey = generatedSecret("MasterKey",
                "TOLLGATE_MASTER_KEY: encrypts upstream channel keys (losing it loses them)");
        masterKey.applyRemovalPolicy(RemovalPolicy.RETAIN);
        // The master key's id and the old keys still read, in one JSON secret: a rotation changes both with one
        // put-secret-value, and the old keys are as secret as the master key. Its initial value holds no secret.
        software.amazon.awscdk.services.secretsmanager.Secret keyRotation =
                new software.amazon.awscdk.services.secretsmanager.Secret(this, "KeyRotation", SecretProps.builder()
                        .description("Tollgate TOLLGATE_MASTER_KEY_ID (the master key's id) and "
                                + "TOLLGATE_MASTER_KEYS_OLD (kid:key,... still read while rotating; README)")
                        .secretObjectValue(keyRotationStart())
                        .build());
        keyRotation.applyRemovalPolicy(RemovalPolicy.RETAIN);
        software.amazon.awscdk.services.secretsmanager.Secret sessionSecret = generatedSecret("SessionSecret",
                "TOLLGATE_SESSION_SECRET: signs admin and customer sessions");
        software.amazon.awscdk.services.secretsmanager.Secret adminPassword = generatedSecret("AdminPassword",
                "TOLLGATE_ADMIN_PASSWORD: the first admin's password (user admin)");

        // ---- database ----------------------------------------------------------------------------------
        DatabaseCluster db = new DatabaseCluster(this, "Database", DatabaseClusterProps.builder()
                .engine(DatabaseClusterEngine.auroraMysql(AuroraMysqlClusterEngineProps.builder()
                        .version(AuroraMysqlEngineVersion.VER_3_10_3).build()))
                .credentials(Credentials.fromUsername(DB_USER))
                .manageMasterUserPassword(true)
                .defaultDatabaseName(DB_NAME)
                .storageEncrypted(true)
                .serverlessV2MinCapacity(0)
                .serverlessV2MaxCapacity(4)
                .serverlessV2AutoPauseDuration(Duration.seconds(900))
                .writer(ClusterInstance.serverlessV2("Writer"))
                .readers(List.of(ClusterInstance.serverlessV2("Reader", ServerlessV2ClusterInstanceProps.builder()
                        .scaleWithWriter(false).build())))
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .backup(BackupProps.builder().retention(Duration.days(7)).build())
                .removalPolicy(RemovalPolicy.SNAPSHOT)
                .build());
        CfnDBCluster cfnDb = (CfnDBCluster) db.getNode().getDefaultChild();
        CfnCondition dbPauses = new CfnCondition(this, "DbPauses", CfnConditionProps.builder()
                .expression(Fn.conditionEquals(dbMin.getValueAsString(), "0")).build());
        cfnDb.addPropertyOverride("ServerlessV2ScalingConfiguration", Ordered.map(
                "MinCapacity", dbMin.getValueAsNumber(),
                "MaxCapacity", dbMax.getValueAsNumber(),
                "SecondsUntilAutoPause", Fn.conditionIf(dbPauses.getLogicalId(), dbPause.getValueAsNumber(),
                        Aws.NO_VALUE)));
        ISecret dbSecret = software.amazon.awscdk.services.secretsmanager.Secret.fromSecretCompleteArn(this,
                "DatabaseMasterSecret", cfnDb.getAttrMasterUserSecretSecretArn());
        for (SecurityGroup client : List.of(relaySg, ledgerSg, adminSg)) {
            db.getConnections().allowDefaultPortFrom(client, "MySQL from " + client.getNode().getId());
        }
        String writerHost = db.getClusterEndpoint().getHostname();
        String readerHost = db.getClusterReadEndpoint().getHostname();
        String dbPort = Token.asString(db.getClusterEndpoint().getPort());

        // ---- Kafka -------------------------------------------------------------------------------------
        KafkaChoice kafka = new KafkaChoice(this, "Kafka", vpc);
        for (SecurityGroup client : List.of(relaySg, ledgerSg, adminSg)) {
            kafka.allowFrom(client);
        }

        // ---- ECS ---------------------------------------------------------------------------------------
        cluster = new Cluster(this, "Cluster", ClusterProps.builder().vpc(vpc).build());

        Map<String, String> commonEnv = new LinkedHashMap<>();
        commonEnv.put("TOLLGATE_DB_PORT", dbPort);
        commonEnv.put("TOLLGATE_DB_NAME", DB_NAME);
        commonEnv.put("TOLLGATE_KAFKA_BOOTSTRAP", kafka.bootstrap());
        commonEnv.put("TOLLGATE_KAFKA_AUTH", kafka.auth());
        commonEnv.put("TOLLGATE_OTLP_ENDPOINT", otlpEndpoint.getValueAsString());
        commonEnv.put("TOLLGATE_TRACE_SAMPLING", traceSampling.getValueAsString());
        Map<String, Secret> dbSecrets = new LinkedHashMap<>();
        dbSecrets.put("TOLLGATE_DB_USER", Secret.fromSecretsManager(dbSecret, "username"));
        dbSecrets.put("TOLLGATE_DB_PASSWORD", Secret.fromSecretsManager(dbSecret, "password"));

        // relay: the "slave" role, reads MySQL from the reader endpoint
        Map<String, String> relayEnv = new LinkedHashMap<>(commonEnv);
        relayEnv.put("TOLLGATE_DB_HOST", readerHost);
        relayEnv.put("TOLLGATE_RELAY_PORT", String.valueOf(RELAY_PORT));
        relayEnv.put("TOLLGATE_RELAY_UPSTREAMTIMEOUT", relayUpstreamTimeout);
        Map<String, Secret> relaySecrets = new LinkedHashMap<>(dbSecrets);
        putMasterKeys(relaySecrets, masterKey, keyRotation);
        FargateTaskDefinition relayTask = taskDefinition("RelayTask", "relay", 1024, 2048, relayImage,
                RELAY_PORT, relayEnv, relaySecrets, Duration.seconds(120));
        relayTask.getTaskRole().addToPrincipalPolicy(new PolicyStatement(PolicyStatementProps.builder()
                .actions(List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"))
                .resources(List.of(
                        "arn:" + Aws.PARTITION + ":bedrock:*::foundation-model/*",
                        "arn:" + Aws.PARTITION + ":bedrock:*:" + Aws.ACCOUNT_ID + ":inference-profile/*",
                        "arn:" + Aws.PARTITION + ":bedrock:*:" + Aws.ACCOUNT_ID + ":application-inference-profile/*"))
                .build()));
        FargateService relay = service("Relay", relayTask, relaySg, relayMin.getValueAsNumber(), 100, 200);

        // ledger: the "master" role, the only writer, on the writer endpoint
        Map<String, String> ledgerEnv = new LinkedHashMap<>(commonEnv);
        ledgerEnv.put("TOLLGATE_DB_HOST", writerHost);
        ledgerEnv.put("TOLLGATE_LEDGER_PORT", String.valueOf(LEDGER_PORT));
        ledgerEnv.put("TOLLGATE_KAFKA_REPLICATION", kafka.replication());
        Map<String, Secret> ledgerSecrets = new LinkedHashMap<>(dbSecrets);
        putMasterKeys(ledgerSecrets, masterKey, keyRotation);
        FargateTaskDefinition ledgerTask = taskDefinition("LedgerTask", "ledger", 512, 1024, ledgerImage,
                LEDGER_PORT, ledgerEnv, ledgerSecrets, Duration.seconds(60));
        // One task; a deployment may overlap old and new briefly (Kafka groups and GET_LOCK keep that safe),
        // and AZ rebalancing needs room above 100%.
        service("Ledger", ledgerTask, ledgerSg, 1, 0, 200);

        // admin: the control plane; reads MySQL from the reader endpoint, writes by commands
        Map<String, String> adminEnv = new LinkedHashMap<>(commonEnv);
        adminEnv.put("TOLLGATE_DB_HOST", readerHost);
        adminEnv.put("TOLLGATE_ADMIN_PORT", String.valueOf(ADMIN_PORT));
        // CloudFront serves the UI and the relay's /v1 on one origin: the playground calls its own origin.
        adminEnv.put("TOLLGATE_PUBLIC_RELAY_URL", "");
        Map<String, Secret> adminSecrets = new LinkedHashMap<>(dbSecrets);
        putMasterKeys(adminSecrets, masterKey, keyRotation);
        adminSecrets.put("TOLLGATE_SESSION_SECRET", Secret.fromSecretsManager(sessionSecret));
        adminSecrets.put("TOLLGATE_ADMIN_PASSWORD", Secret.fromSecretsManager(adminPassword));
        FargateTaskDefinition adminTask = taskDefinition("AdminTask", "admin", 512, 1024, adminImage,
                ADMIN_PORT, adminEnv, adminSecrets, Duration.seconds(30));
        FargateService admin = service("Admin", adminTask, adminSg, 2, 100, 200);

        kafka.grant(this, "RelayKafkaPolicy", relayTask.getTaskRole(), new KafkaChoice.Access(
                List.of(KafkaChoice.CHANGES), List.of(KafkaChoice.USAGE, KafkaChoice.COMMANDS), false, null));
        kafka.grant(this, "LedgerKafkaPolicy", ledgerTask.getTaskRole(), new KafkaChoice.Access(
                List.of(KafkaChoice.USAGE, KafkaChoice.COMMANDS),
                List.of(KafkaChoice.CHANGES, KafkaChoice.USAGE_DLQ), true, KafkaChoice.LEDGER_GROUPS));
        kafka.grant(this, "AdminKafkaPolicy", adminTask.getTaskRole(), new KafkaChoice.Access(
                List.of(KafkaChoice.CHANGES, KafkaChoice.USAGE), List.of(KafkaChoice.COMMANDS), false, null));

        // ---- load balancer -----------------------------------------------------------------------------
        ApplicationLoadBalancer alb = new ApplicationLoadBalancer(this, "Alb", ApplicationLoadBalancerProps.builder()
                .vpc(vpc)
                .internetFacing(false)
                .vpcSubnets(privateSubnets)
                .securityGroup(albSg)
                .idleTimeout(Duration.seconds(ALB_IDLE_TIMEOUT_SECONDS))
                .build());
        ApplicationTargetGroup relayTargets = targetGroup("RelayTargets", relay, RELAY_PORT, Duration.seconds(120));
        ApplicationTargetGroup adminTargets = targetGroup("AdminTargets", admin, ADMIN_PORT, Duration.seconds(30));
        ApplicationListener listener = alb.addListener("Http", ApplicationListenerProps.builder()
                .loadBalancer(alb)
                .port(80)
                .protocol(ApplicationProtocol.HTTP)
                .open(false)
                .defaultAction(ListenerAction.forward(List.of(adminTargets)))
                .build());
        // One rule per model API prefix; everything else (admin UI and /api) is the default action.
        int priority = 10;
        for (String path : MODEL_API_PATHS) {
            listener.addAction("Relay" + (path.contains("beta") ? "V1Beta" : "V1"), AddApplicationActionProps.builder()
                    .priority(priority)
                    .conditions(List.of(ListenerCondition.pathPatterns(List.of(path))))
                    .action(ListenerAction.forward(List.of(relayTargets)))
                    .build());
            priority += 10;
        }

        // Autoscaling owns the relay's task count: a stack update must not reset it to the minimum.
        ((software.amazon.awscdk.services.ecs.CfnService) relay.getNode().getDefaultChild())
                .addPropertyDeletionOverride("DesiredCount");
        ScalableTaskCount relayScaling = relay.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(relayMin.getValueAsNumber())
                .maxCapacity(relayMax.getValueAsNumber())
                .build());
        relayScaling.scaleOnCpuUtilization("Cpu", CpuUtilizationScalingProps.builder()
                .targetUtilizationPercent(60)
                .scaleOutCooldown(Duration.seconds(60))
                .scaleInCooldown(Duration.seconds(300))
                .build());
        relayScaling.scaleOnRequestCount("Requests", RequestCountScalingProps.builder()
                .targetGroup(relayTargets)
                .requestsPerTarget(600)
                .scaleOutCooldown(Duration.seconds(60))
                .scaleInCooldown(Duration.seconds(300))
                .build());

        // ---- CloudFront + WAF --------------------------------------------------------------------------
        CfnCondition inUsEast1 = new CfnCondition(this, "InUsEast1", CfnConditionProps.builder()
                .expression(Fn.conditionEquals(Aws.REGION, "us-east-1")).build());
        CfnCondition hasWebAclArn = new CfnCondition(this, "HasWebAclArn", CfnConditionProps.builder()
                .expression(Fn.conditionNot(Fn.conditionEquals(webAclArn.getValueAsString(), ""))).build());
        CfnCondition createWebAcl = new CfnCondition(this, "CreateWebAcl", CfnConditionProps.builder()
                .expression(Fn.conditionAnd(inUsEast1, Fn.conditionNot(hasWebAclArn))).build());
        EdgeWebAcl acl = new EdgeWebAcl(this, "WebAcl");
        Conditions.applyTo(acl, createWebAcl);
        String webAclId = Token.asString(Fn.conditionIf(hasWebAclArn.getLogicalId(), webAclArn.getValueAsString(),
                Fn.conditionIf(createWebAcl.getLogicalId(), acl.arn(), Aws.NO_VALUE)));

        IOrigin origin = VpcOrigin.withApplicationLoadBalancer(alb, VpcOriginWithEndpointProps.builder()
                .protocolPolicy(OriginProtocolPolicy.HTTP_ONLY)
                .httpPort(80)
                // The parameter's value is set below (the construct wants a literal to validate).
                .readTimeout(Duration.seconds(60))
                .keepaliveTimeout(Duration.seconds(ORIGIN_KEEPALIVE_SECONDS))
                .connectionTimeout(Duration.seconds(10))
                .vpcOriginName(Fn.join("-", List.of(Aws.STACK_NAME, "alb")))
                .build());
        // ALL_VIEWER: the origin is plain HTTP to the ALB (no certificate to match), and the services see the
        // public host name, which they need to build the URLs they show.
        BehaviorOptions api = BehaviorOptions.builder()
                .origin(origin)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                // Streams (SSE, event streams) pass through as they come.
                .compress(false)
                .build();
        Map<String, BehaviorOptions> behaviours = new LinkedHashMap<>();
        for (String path : MODEL_API_PATHS) {
            behaviours.put(path, api);
        }
        Distribution cdn = new Distribution(this, "Cdn", DistributionProps.builder()
                .comment("Tollgate")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(origin)
                        .cachePolicy(CachePolicy.CACHING_DISABLED)
                        .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER)
                        .allowedMethods(AllowedMethods.ALLOW_ALL)
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .compress(true)
                        .build())
                .additionalBehaviors(behaviours)
                .httpVersion(HttpVersion.HTTP2_AND_3)
                .priceClass(PriceClass.PRICE_CLASS_100)
                .webAclId(webAclId)
                .build());

        ((software.amazon.awscdk.services.cloudfront.CfnDistribution) cdn.getNode().getDefaultChild())
                .addPropertyOverride("DistributionConfig.Origins.0.VpcOriginConfig.OriginReadTimeout",
                        readTimeout.getValueAsNumber());

        // ---- outputs -----------------------------------------------------------------------------------
        String base = "https://" + cdn.getDistributionDomainName();
        output("CloudFrontUrl", base, "Tollgate's public URL (CloudFront)");
        output("ApiBaseUrl", base + "/v1", "Base URL for OpenAI-compatible clients");
        output("AdminUrl", base + "/", "Admin web UI (user admin, password in AdminPasswordSecret)");
        output("AdminPasswordSecret", adminPassword.getSecretArn(), "Secrets Manager secret with the admin password");
        output("MasterKeySecret", masterKey.getSecretArn(),
                "Secrets Manager secret with TOLLGATE_MASTER_KEY (keep it: it decrypts the stored upstream keys)");
        output("KeyRotationSecret", keyRotation.getSecretArn(),
                "Secrets Manager secret with TOLLGATE_MASTER_KEY_ID and TOLLGATE_MASTER_KEYS_OLD (master-key rotation)");
    }

    static Map<String, Map<String, Object>> relayTimeoutMapping() {
        Map<String, Map<String, Object>> mapping = new LinkedHashMap<>();
        for (String seconds : ORIGIN_READ_TIMEOUTS) {
            mapping.put(seconds, Ordered.map("Upstream", (Integer.parseInt(seconds) - 5) + "s"));
        }
        return mapping;
    }

    private CfnParameter imageParameter(String id, String service) {
        return new CfnParameter(this, id, CfnParameterProps.builder()
                .type("String")
                .defaultValue("")
                .description("Image URI of the " + service + " service; empty = <account>.dkr.ecr.<region>."
                        + "amazonaws.com/tollgate/" + service + ":latest (README: build and push)")
                .build());
    }

    private String image(CfnParameter parameter, String service) {
        CfnCondition useDefault = new CfnCondition(this, parameter.getNode().getId() + "IsDefault",
                CfnConditionProps.builder().expression(Fn.conditionEquals(parameter.getValueAsString(), "")).build());
        return Token.asString(Fn.conditionIf(useDefault.getLogicalId(),
                Fn.sub("${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/tollgate/" + service + ":latest"),
                parameter.getValueAsString()));
    }

    private SecurityGroup securityGroup(String id, String description) {
        return new SecurityGroup(this, id, SecurityGroupProps.builder()
                .vpc(vpc).description(description).allowAllOutbound(true).build());
    }

    /** Never change this start value: CloudFormation would write it over a rotated id and old keys. */
    private static Map<String, SecretValue> keyRotationStart() {
        Map<String, SecretValue> start = new LinkedHashMap<>();
        start.put(MASTER_KEY_ID, SecretValue.unsafePlainText("k1"));
        start.put(MASTER_KEYS_OLD, SecretValue.unsafePlainText(""));
        return start;
    }

    /** Every service that encrypts or decrypts upstream keys gets the master key, its id and the old keys. */
    private static void putMasterKeys(Map<String, Secret> secrets, ISecret masterKey, ISecret keyRotation) {
        secrets.put("TOLLGATE_MASTER_KEY", Secret.fromSecretsManager(masterKey));
        secrets.put(MASTER_KEY_ID, Secret.fromSecretsManager(keyRotation, MASTER_KEY_ID));
        secrets.put(MASTER_KEYS_OLD, Secret.fromSecretsManager(keyRotation, MASTER_KEYS_OLD));
    }

    private software.amazon.awscdk.services.secretsmanager.Secret generatedSecret(String id, String description) {
        return new software.amazon.awscdk.services.secretsmanager.Secret(this, id, SecretProps.builder()
                .description("Tollgate " + description)
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(48)
                        .excludePunctuation(true)
                        .build())
                .build());
    }

    private FargateTaskDefinition taskDefinition(String id, String service, int cpu, int memory, CfnParameter image,
            int port, Map<String, String> environment, Map<String, Secret> secrets, Duration stopTimeout) {
        FargateTaskDefinition task = new FargateTaskDefinition(this, id, FargateTaskDefinitionProps.builder()
                .cpu(cpu)
                .memoryLimitMiB(memory)
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .build());
        ((CfnTaskDefinition) task.getNode().getDefaultChild())
                .addPropertyOverride("RuntimePlatform.CpuArchitecture", architecture.getValueAsString());
        LogGroup logs = new LogGroup(this, id + "Logs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build());
        task.addContainer(service, ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(image(image, service)))
                .essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(port).build()))
                .environment(environment)
                .secrets(secrets)
                .stopTimeout(stopTimeout)
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(service).build()))
                .build());
        grantEcrPull(task.obtainExecutionRole());
        return task;
    }

    /** The default images live in this account's ECR under tollgate/. */
    private static void grantEcrPull(IRole role) {
        role.addToPrincipalPolicy(new PolicyStatement(PolicyStatementProps.builder()
                .actions(List.of("ecr:GetAuthorizationToken"))
                .resources(List.of("*"))
                .build()));
        role.addToPrincipalPolicy(new PolicyStatement(PolicyStatementProps.builder()
                .actions(List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"))
                .resources(List.of(Fn.sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/tollgate/*")))
                .build()));
    }

    private FargateService service(String id, FargateTaskDefinition task, SecurityGroup sg, Number desired,
            int minHealthy, int maxHealthy) {
        return new FargateService(this, id, FargateServiceProps.builder()
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(desired)
                .securityGroups(List.of(sg))
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .assignPublicIp(false)
                .minHealthyPercent(minHealthy)
                .maxHealthyPercent(maxHealthy)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .availabilityZoneRebalancing(AvailabilityZoneRebalancing.ENABLED)
                .healthCheckGracePeriod(Duration.seconds(120))
                .build());
    }

    private ApplicationTargetGroup targetGroup(String id, FargateService service, int port, Duration drain) {
        return new ApplicationTargetGroup(this, id, ApplicationTargetGroupProps.builder()
                .vpc(vpc)
                .port(port)
                .protocol(ApplicationProtocol.HTTP)
                .targetType(TargetType.IP)
                .targets(List.of(service))
                .deregistrationDelay(drain)
                .healthCheck(HealthCheck.builder()
                        .path(READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .build());
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }
}
