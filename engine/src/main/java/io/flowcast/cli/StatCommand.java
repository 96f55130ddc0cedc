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
 * {@code flowcast stat}: prints a running server's counters and the distinct errors of its error log from its
 * memory-mapped counters file, once or every interval (like Aeron's AeronStat and ErrorStat).
 */
@Command(name = "stat", description = {"Print a running server's counters and errors (read live from its counters " +
    "file).", "Each distinct error shows how often it happened, first and last; --errors adds its stack trace."})
final class StatCommand implements Callable<Integer>
{
    @Option(names = "--dir", paramLabel = "DIR",
        description = "Directory of the server's counters file (default: ${DEFAULT-VALUE}).")
    Path directory = CountersFile.defaultDirectory();

    @Option(names = "--watch", paramLabel = "SECONDS",
        description = "Print again every SECONDS until interrupted (0: print once; default: ${DEFAULT-VALUE}).")
    double watchSeconds = 0;

    @Option(names = "--errors", description = "Print each distinct error's whole stack trace.")
    boolean stackTraces;

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
                print(file, System.out, stackTraces);
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
        print(file, out, false);
    }

    static void print(final CountersFile file, final PrintStream out, final boolean stackTraces)
    {
        final long age = file.heartbeatAgeMs();
        out.printf("%s  pid %d  started %s  heartbeat %s%n",
            file.path(), file.pid(), Instant.ofEpochMilli(file.startTimeMs()),
            age < 5_000 ? age + " ms ago" : "STALE (" + age / 1000 + " s ago: the server may be gone)");
        file.reader().forEach((value, id, label) -> out.printf("%3d: %,20d - %s%n", id, value, label));
        printErrors(file, out, stackTraces);
    }

    /**
     * The error log, as Aeron's ErrorStat prints it: per distinct error its count, first and last time.
     */
    static void printErrors(final CountersFile file, final PrintStream out, final boolean stackTraces)
    {
        final StringBuilder lines = new StringBuilder();
        final long[] total = new long[1];
        final int distinct = file.readErrors((count, firstMs, lastMs, trace) ->
        {
            total[0] += count;
            final int end = trace.indexOf('\n');
            lines.append(String.format("%,8d x  first %s  last %s  %s%n", count, Instant.ofEpochMilli(firstMs),
                Instant.ofEpochMilli(lastMs), stackTraces || end < 0 ? trace.strip() : trace.substring(0, end)));
        });
        out.printf("errors: %s%n", 0 == distinct ? "none" :
            String.format("%,d distinct, %,d in all", distinct, total[0]));
        out.print(lines);
    }
}
