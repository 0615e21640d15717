package dev.tollgate.deploy.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * Synthesises the one-click templates. {@code main} writes the cloud assembly to {@code cdk.out} and copies the
 * templates to {@code template/}, the committed files a user deploys:
 * {@code java -cp ... dev.tollgate.deploy.aws.TollgateApp [moduleDir]}, or
 * {@code ./mvnw -B -o -pl deploy/aws test -Dtollgate.template.refresh=true}.
 */
public final class TollgateApp {

    public static final String MAIN_STACK = "Tollgate";
    public static final String WAF_STACK = "TollgateWaf";
    /** Committed template file names, by stack name. */
    public static final Map<String, String> TEMPLATES = Map.of(
            MAIN_STACK, "tollgate.template.json",
            WAF_STACK, "tollgate-waf.template.json");

    private TollgateApp() {
    }

    public static void main(String[] args) {
        Path moduleDir = Path.of(args.length > 0 ? args[0] : ".");
        CloudAssembly assembly = synth(moduleDir.resolve("cdk.out"));
        copyTemplates(assembly, moduleDir.resolve("template"));
        System.out.println("templates written to " + moduleDir.resolve("template").toAbsolutePath());
    }

    /** Both stacks, environment-agnostic, with no bootstrap resources, assets, or CDK metadata. */
    public static App app(Path outdir) {
        App app = new App(AppProps.builder()
                .outdir(outdir.toString())
                .analyticsReporting(false)
                .context(Map.of(
                        "aws:cdk:enable-path-metadata", false,
                        "aws:cdk:version-reporting", false,
                        // The CDK's built-in CloudFormation validation fails the synth on any finding.
                        "@aws-cdk/core:validateAgainstDefaultRules", true))
                .build());
        new TollgateStack(app, MAIN_STACK, StackProps.builder()
                .synthesizer(new BootstraplessSynthesizer())
                .analyticsReporting(false)
                .build());
        new TollgateWafStack(app, WAF_STACK, StackProps.builder()
                .synthesizer(new BootstraplessSynthesizer())
                .analyticsReporting(false)
                .build());
        return app;
    }

    public static CloudAssembly synth(Path outdir) {
        return app(outdir).synth();
    }

    public static void copyTemplates(CloudAssembly assembly, Path templateDir) {
        try {
            Files.createDirectories(templateDir);
            for (Map.Entry<String, String> e : TEMPLATES.entrySet()) {
                Path synthesized = Path.of(assembly.getDirectory(),
                        assembly.getStackByName(e.getKey()).getTemplateFile());
                Files.copy(synthesized, templateDir.resolve(e.getValue()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
