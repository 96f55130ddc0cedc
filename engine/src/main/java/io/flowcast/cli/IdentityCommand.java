package io.flowcast.cli;

import io.flowcast.config.ConfigProblem;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.IdentityKeyFile;
import io.flowcast.engine.ServerIdentity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

/**
 * {@code flowcast identity}: prints the server's fingerprint (peer ID), creating the identity key file on first use.
 */
@Command(name = "identity", description = {
    "Print the server's RTMFP fingerprint (peer ID), creating its identity key file on first use.",
    "Clients can pin it: rtmfp://host/app with the fingerprint as endpoint discriminator."})
final class IdentityCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ConfigResult result = options.load(options.configFile());
        if (!result.isValid())
        {
            for (final ConfigProblem problem : result.problems())
            {
                err.println(problem.format());
            }
            err.println("flowcast identity: fix the configuration first (flowcast config check)");
            err.flush();
            return 1;
        }

        final boolean existed = Files.exists(result.config().identity().keyFile());
        try
        {
            final ServerIdentity identity = ServerIdentity.loadOrCreate(result.config(), new SecureRandom());
            out.println(identity.fingerprintHex());
            err.println((existed ? "key file " : "created key file ") + identity.keyFile().toAbsolutePath() +
                " (keep it private; deleting it changes the fingerprint)");
            out.flush();
            err.flush();
            return 0;
        }
        catch (final IdentityKeyFile.IdentityKeyException ex)
        {
            err.println("flowcast identity: " + ex.getMessage());
            err.flush();
            return 1;
        }
    }
}
