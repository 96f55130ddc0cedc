package io.flowcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flowcast} command line. Each capability adds its own subcommand class here.
 */
@Command(
    name = "flowcast",
    mixinStandardHelpOptions = true,
    versionProvider = FlowcastVersion.class,
    description = "RTMFP (RFC 7016 / RFC 7425) and RTMP server, client and tools.",
    subcommands = {
        VersionCommand.class,
        ServerCommand.class,
        ConnectCommand.class,
        EchoCommand.class,
        BenchCommand.class,
        PublishCommand.class,
        PlayCommand.class,
        ConfigCommand.class,
        IdentityCommand.class,
        StatCommand.class,
        JournalCommand.class,
        DissectCommand.class,
        CommandLine.HelpCommand.class
    })
public final class FlowcastCli implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        // No subcommand: show what there is rather than doing something surprising.
        spec.commandLine().usage(System.out);
    }

    /**
     * Build the command line with Flowcast's conventions: errors from a person get one clear line and the usage,
     * never a stack trace.
     *
     * @return the configured command line.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new FlowcastCli())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(
                (ex, cmd, parseResult) ->
                {
                    cmd.getErr().println("flowcast: " + ex.getMessage());
                    return 1;
                });
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
