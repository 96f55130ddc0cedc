package io.flowcast.cli;

import io.flowcast.engine.status.CountersFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code flowcast stat}: prints a running server's counters from its memory-mapped counters file, once or every
 * interval (like Aeron's AeronStat).
 */
@Command(name = "stat", description = "Print a running server's counters (read live from its counters file).")
final class StatCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR",
        description = "Directory of the server's counters file (default: ${DEFAULT-VALUE}).")
    Path directory = CountersFile.defaultDirectory();

    @Option(names = "--watch", paramLabel = "SECONDS",
        description = "Print again every SECONDS until interrupted (0: print once; default: ${DEFAULT-VALUE}).")
    double watchSeconds = 0;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        if (watchSeconds < 0)
        {
            System.err.println("flowcast stat: --watch must be 0 or more seconds");
            return 2;
        }
        try (CountersFile file = CountersFile.openReadOnly(directory))
        {
            do
            {
                print(file, System.out);
                if (watchSeconds > 0)
                {
                    Thread.sleep((long)(watchSeconds * 1000));
                }
            }
            while (watchSeconds > 0);
        }
        catch (final IOException ex)
        {
            System.err.println("flowcast stat: " + ex.getMessage());
            return 1;
        }
        return 0;
    }

    static void print(final CountersFile file, final PrintStream out)
    {
        final long age = file.heartbeatAgeMs();
        out.printf("%s  pid %d  started %s  heartbeat %s%n",
            file.path(), file.pid(), Instant.ofEpochMilli(file.startTimeMs()),
            age < 5_000 ? age + " ms ago" : "STALE (" + age / 1000 + " s ago: the server may be gone)");
        file.reader().forEach((value, id, label) -> out.printf("%3d: %,20d - %s%n", id, value, label));
    }
}
