package io.flowcast.cli;

import io.flowcast.recorder.FlvExporter;
import io.flowcast.recorder.JournalException;
import io.flowcast.recorder.JournalIndex;
import io.flowcast.recorder.JournalReader;
import io.flowcast.recorder.flv.FlvFileWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code flowcast journal export DIR --stream APP/NAME [--from T] [--to T] --out FILE.flv}.
 */
@Command(name = "export", description = {
    "Export one recorded stream to an FLV file.",
    "--from/--to select by receive time (inclusive): epoch milliseconds or ISO-8601 (2026-11-22T04:00:00Z).",
    "Timestamps start at 0; a range starting mid-stream begins with the last metadata and decoder configuration",
    "received before it, and video starts at a key frame."})
final class JournalExportCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--stream", required = true, paramLabel = "APP/NAME", description = "The stream to export.")
    String stream;

    @Option(names = "--from", paramLabel = "T", description = "First receive time (epoch ms or ISO-8601).")
    String from;

    @Option(names = "--to", paramLabel = "T", description = "Last receive time (epoch ms or ISO-8601).")
    String to;

    @Option(names = "--out", required = true, paramLabel = "FILE.flv", description = "The FLV file to write.")
    Path out;

    @Override
    public Integer call() throws IOException
    {
        try
        {
            final long fromMs = null == from ? Long.MIN_VALUE : JournalCommand.parseTime("--from", from);
            final long toMs = null == to ? Long.MAX_VALUE : JournalCommand.parseTime("--to", to);
            if (fromMs > toMs)
            {
                throw new JournalException("--from is after --to: nothing to export");
            }
            final FlvExporter.Result result;
            try (JournalReader reader = JournalReader.open(directory))
            {
                try (FlvFileWriter writer = new FlvFileWriter(out))
                {
                    result = FlvExporter.export(reader, stream, fromMs, toMs, writer);
                }
                catch (final IOException ex)
                {
                    Files.deleteIfExists(out);
                    throw new JournalException("cannot write " + out + ": " + ex.getMessage(), ex);
                }
            }
            if (result.tags() == 0)
            {
                Files.deleteIfExists(out);
                final JournalIndex index = JournalIndex.scan(directory);
                if (null == index.stream(stream))
                {
                    throw new JournalException("no stream '" + stream + "' in " + directory + "; known streams: " +
                        (index.streams().isEmpty() ? "(none)" : index.streams().stream()
                            .map(JournalIndex.StreamSummary::key).collect(Collectors.joining(", "))));
                }
                throw new JournalException("stream '" + stream + "' has no audio, video or data messages" +
                    (null == from && null == to ? "" : " in that time range") + "; nothing written");
            }
            spec.commandLine().getOut().printf("%s: %,d tags (%,d audio, %,d video, %,d data), received %s to %s%n",
                out, result.tags(), result.audioTags(), result.videoTags(), result.dataTags(),
                JournalCommand.formatTime(result.firstReceiveNs()), JournalCommand.formatTime(result.lastReceiveNs()));
            return 0;
        }
        catch (final JournalException ex)
        {
            spec.commandLine().getErr().println("flowcast journal export: " + ex.getMessage());
            return 1;
        }
    }
}
