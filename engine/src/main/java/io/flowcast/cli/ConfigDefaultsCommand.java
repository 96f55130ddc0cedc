package io.flowcast.cli;

import io.flowcast.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flowcast config defaults}: prints the complete, commented default configuration file (the same text the
 * server falls back on, so the two cannot drift).
 */
@Command(name = "defaults", description = "Print the complete, commented default configuration file.")
final class ConfigDefaultsCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().getOut().print(ConfigLoader.defaultsText());
        spec.commandLine().getOut().flush();
    }
}
