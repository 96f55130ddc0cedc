package io.flowcast.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code flowcast server}: runs the RTMFP/RTMP server on sensible defaults.
 */
@Command(name = "server", description = "Run the Flowcast RTMFP/RTMP server.")
final class ServerCommand implements Callable<Integer>
{
    /** Exit code while the engine (issue 5 onwards) is not yet built. */
    static final int EXIT_NOT_AVAILABLE = 3;

    @Override
    public Integer call()
    {
        System.err.println(
            "flowcast server: the RTMFP engine is not built yet; this command will run it once it lands " +
            "(see the status table in README.md).");
        return EXIT_NOT_AVAILABLE;
    }
}
