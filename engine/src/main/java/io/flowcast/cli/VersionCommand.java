package io.flowcast.cli;

import picocli.CommandLine.Command;

/**
 * {@code flowcast version}: prints the Flowcast and Java versions.
 */
@Command(name = "version", description = "Print the Flowcast and Java versions.")
final class VersionCommand implements Runnable
{
    @Override
    public void run()
    {
        System.out.println(new FlowcastVersion().getVersion()[0]);
    }
}
