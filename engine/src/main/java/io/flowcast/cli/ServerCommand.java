package io.flowcast.cli;

import io.flowcast.config.ConfigProblem;
import io.flowcast.config.ConfigResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code flowcast server}: runs the RTMFP/RTMP server on sensible defaults, or as configured.
 */
@Command(name = "server", description = "Run the Flowcast RTMFP/RTMP server (file < environment < flags).")
final class ServerCommand implements Callable<Integer>
{
    /** Exit code while the engine (issue 5 onwards) is not yet built. */
    static final int EXIT_NOT_AVAILABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final ConfigResult result = options.load(options.configFile());
        if (!result.isValid())
        {
            for (final ConfigProblem problem : result.problems())
            {
                err.println(problem.format());
            }
            err.println("flowcast server: not started: fix the configuration (flowcast config check)");
            err.flush();
            return 1;
        }

        err.println(
            "flowcast server: the configuration is valid, but the RTMFP engine is not built yet; this command " +
            "will run it once it lands (see the status table in README.md).");
        err.flush();
        return EXIT_NOT_AVAILABLE;
    }
}
