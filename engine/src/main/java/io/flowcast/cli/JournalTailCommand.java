package io.flowcast.cli;

import io.flowcast.recorder.JournalException;
import io.flowcast.recorder.JournalMessage;
import io.flowcast.recorder.JournalReader;
import io.flowcast.recorder.JournalRecord;
import io.flowcast.recorder.StreamPattern;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast journal tail DIR}: follows a journal and prints one line per new message until interrupted.
 */
@Command(name = "tail", description = "Follow a journal: print one line per new message until Ctrl-C.")
final class JournalTailCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--stream", paramLabel = "PATTERN",
        description = "Only streams matching this glob (app/name, live/*, *; default: all).")
    String stream;

    @Option(names = "--from-start", description = "Print the messages already recorded first.")
    boolean fromStart;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N messages (default: never).")
    long max = Long.MAX_VALUE;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Stop after SECONDS (default: 0, never).")
    double timeoutSeconds;

    private PrintWriter out;
    private long printed;

    @Override
    public Integer call()
    {
        out = spec.commandLine().getOut();
        try (JournalReader reader = JournalReader.open(directory))
        {
            if (null != stream)
            {
                reader.streamFilter(StreamPattern.of(stream));
            }
            if (fromStart)
            {
                reader.toStart();
            }
            else
            {
                reader.toEnd();
            }
            final long deadline = timeoutSeconds > 0 ?
                System.nanoTime() + (long)(timeoutSeconds * TimeUnit.SECONDS.toNanos(1)) : Long.MAX_VALUE;
            final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, TimeUnit.MILLISECONDS.toNanos(10));
            while (printed < max && System.nanoTime() - deadline < 0)
            {
                idle.idle(reader.poll(this::print, (int)Math.min(256, max - printed)));
            }
            out.flush();
            return 0;
        }
        catch (final JournalException | IllegalArgumentException ex)
        {
            spec.commandLine().getErr().println("flowcast journal tail: " + ex.getMessage());
            return 1;
        }
    }

    private void print(final JournalMessage m)
    {
        out.printf("%s %s %s ts=%d len=%d%n", JournalCommand.formatTime(m.receiveTimeNs()), m.streamKey(),
            JournalRecord.typeName(m.messageType()), m.mediaTimestamp(), m.payloadLength());
        printed++;
    }
}
