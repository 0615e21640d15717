package dev.tollgate.deploy.aws;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The small edge stack: Tollgate's CLOUDFRONT-scope web ACL alone, for a main stack outside us-east-1.
 * Deploy it in us-east-1 and pass its {@code WebAclArn} output to the main stack's parameter of that name.
 */
public final class TollgateWafStack extends Stack {

    public TollgateWafStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        EdgeWebAcl acl = new EdgeWebAcl(this, "WebAcl");
        new CfnOutput(this, "WebAclArn", CfnOutputProps.builder()
                .description("Pass to the Tollgate stack's WebAclArn parameter")
                .value(acl.arn())
                .build());
        getTemplateOptions().setDescription("Tollgate edge web ACL (AWS WAF, CLOUDFRONT scope): deploy in us-east-1");
    }
}
