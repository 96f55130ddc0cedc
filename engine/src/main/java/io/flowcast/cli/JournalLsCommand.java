package io.flowcast.cli;

import io.flowcast.recorder.JournalException;
import io.flowcast.recorder.JournalIndex;
import io.flowcast.recorder.JournalRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code flowcast journal ls DIR}: the streams of a journal with their time ranges, message counts and sizes.
 */
@Command(name = "ls", description = "List the streams of a journal: time ranges, message counts, sizes.")
final class JournalLsCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final JournalIndex index;
        try
        {
            index = JournalIndex.scan(directory);
        }
        catch (final JournalException ex)
        {
            spec.commandLine().getErr().println("flowcast journal ls: " + ex.getMessage());
            return 1;
        }
        out.printf("%s: %d stream(s), %,d messages, %d roll file(s) of %s (sparse)%s%n",
            directory, index.streams().size(), index.messages(), index.rollFiles(), JournalCommand.formatBytes(
            index.fileBytes()), index.malformedRecords() > 0 ? ", " + index.malformedRecords() + " bad records" : "");
        if (index.streams().isEmpty())
        {
            return 0;
        }
        out.printf("%-24s %-24s %-24s %10s %12s %9s %9s %7s %7s %10s%n",
            "STREAM", "FIRST RECEIVED (UTC)", "LAST RECEIVED (UTC)", "DURATION", "MEDIA TS",
            "AUDIO", "VIDEO", "DATA", "OTHER", "PAYLOAD");
        for (final JournalIndex.StreamSummary s : index.streams())
        {
            final long audio = s.messages(JournalRecord.TYPE_AUDIO);
            final long video = s.messages(JournalRecord.TYPE_VIDEO);
            final long data = s.messages(JournalRecord.TYPE_DATA_AMF0) + s.messages(JournalRecord.TYPE_DATA_AMF3);
            out.printf("%-24s %-24s %-24s %9.1fs %12s %,9d %,9d %,7d %,7d %10s%n",
                s.key(), JournalCommand.formatTime(s.firstReceiveNs()), JournalCommand.formatTime(s.lastReceiveNs()),
                (s.lastReceiveNs() - s.firstReceiveNs()) / 1e9,
                s.firstMediaTimestamp() + "-" + s.lastMediaTimestamp(),
                audio, video, data, s.messages() - audio - video - data, JournalCommand.formatBytes(s.payloadBytes()));
        }
        return 0;
    }
}
