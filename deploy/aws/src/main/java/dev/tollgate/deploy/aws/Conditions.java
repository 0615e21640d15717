package dev.tollgate.deploy.aws;

import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnResource;
import software.constructs.Construct;
import software.constructs.IConstruct;

/** Puts a CloudFormation condition on every resource under a construct (L2 constructs make several). */
final class Conditions {

    private Conditions() {
    }

    static void applyTo(Construct scope, CfnCondition condition) {
        for (IConstruct child : scope.getNode().findAll()) {
            if (child instanceof CfnResource) {
                ((CfnResource) child).getCfnOptions().setCondition(condition);
            }
        }
    }
}
