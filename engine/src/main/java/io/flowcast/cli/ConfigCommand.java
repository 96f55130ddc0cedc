package io.flowcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flowcast config}: the configuration tools ({@code defaults}, {@code check}).
 */
@Command(
    name = "config",
    description = "Print the default configuration or check a configuration file.",
    subcommands = { ConfigDefaultsCommand.class, ConfigCheckCommand.class })
final class ConfigCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
