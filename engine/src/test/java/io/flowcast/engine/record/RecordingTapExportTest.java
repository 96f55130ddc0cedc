package io.flowcast.engine.record;

import io.flowcast.cli.FlowcastCli;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 20 s test file published through the {@link RecordingTap} as the media server would call it (read with the
 * codec's {@link FlvReader}), recorded by a running {@link ServerRecording}, then exported with
 * {@code flowcast journal export}: the same audio/video/data tags (payload bytes and timestamps), and ffprobe sees
 * the same packets as in the source.
 */
@Tag("slow")
class RecordingTapExportTest
{
    record Tag(int type, int timestamp, byte[] data)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Tag t && t.type == type && t.timestamp == timestamp && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString()
        {
            return "Tag{type=" + type + ", ts=" + timestamp + ", length=" + data.length + '}';
        }
    }

    @TempDir
    Path dir;

    static Path sharedMedia(final String name)
    {
        return Path.of(System.getProperty("flowcast.shared.dir", "../../shared"), "media", name);
    }

    static List<Tag> tags(final byte[] flv)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(flv);
        final FlvReader reader = new FlvReader().wrap(buffer, 0, flv.length);
        assertThat(reader.readHeader()).isZero();
        final List<Tag> tags = new ArrayList<>();
        int type;
        while ((type = reader.next()) >= 0)
        {
            final byte[] data = new byte[reader.dataSize()];
            buffer.getBytes(reader.dataOffset(), data);
            tags.add(new Tag(type, reader.timestamp(), data));
        }
        assertThat(type).as("the file ends after a whole tag").isEqualTo(FlvReader.END);
        return tags;
    }

    static CountersManager counters()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void publishedFileComesBackTagForTagThroughJournalExport() throws Exception
    {
        final Path source = sharedMedia("avc-aac-20s-1500k.flv");
        final byte[] flv = Files.readAllBytes(source);
        final UnsafeBuffer buffer = new UnsafeBuffer(flv);
        final Path journal = dir.resolve("journal");
        final RecorderSettings settings = new RecorderSettings(
            true, journal, List.of(StreamPattern.of("live/*")), "HOURLY", Duration.ZERO, 16 * 1024 * 1024);
        final List<Tag> published = new ArrayList<>();
        final ServerRecording recording = ServerRecording.start(settings, counters(), 4);
        try
        {
            final RecordingTap tap = recording.tap();
            tap.onPublish(7, "live", "cam");
            tap.onPublish(2, "other", "cam"); // not matched by live/*: never recorded
            assertThat(tap.isRecording(7)).isTrue();
            assertThat(tap.isRecording(2)).isFalse();
            final FlvReader reader = new FlvReader().wrap(buffer, 0, flv.length);
            assertThat(reader.readHeader()).isZero();
            int type;
            while ((type = reader.next()) >= 0)
            {
                tap.onMessage(7, type, reader.timestamp(), buffer, reader.dataOffset(), reader.dataSize());
                tap.onMessage(2, type, reader.timestamp(), buffer, reader.dataOffset(), reader.dataSize());
                final byte[] data = new byte[reader.dataSize()];
                buffer.getBytes(reader.dataOffset(), data);
                published.add(new Tag(type, reader.timestamp(), data));
            }
            tap.onUnpublish(7);
            tap.onUnpublish(2);
        }
        finally
        {
            recording.close(); // drains the ring into the journal
        }
        assertThat(recording.counters().droppedMessages().get()).isZero();
        assertThat(recording.counters().recordedMessages().get()).isEqualTo(published.size());
        assertThat(published).hasSizeGreaterThan(900);

        final Path out = dir.resolve("export.flv");
        final StringWriter cliOut = new StringWriter();
        final StringWriter cliErr = new StringWriter();
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(cliOut, true));
        cli.setErr(new PrintWriter(cliErr, true));
        final int exit = cli.execute(
            "journal", "export", journal.toString(), "--stream", "live/cam", "--out", out.toString());
        assertThat(exit).as(cliErr.toString()).isZero();

        final List<Tag> exported = tags(Files.readAllBytes(out));
        final int base = published.get(0).timestamp(); // the export rebases to 0
        assertThat(exported).hasSize(published.size());
        for (int i = 0; i < published.size(); i++)
        {
            final Tag p = published.get(i);
            assertThat(exported.get(i)).as("tag %d", i).isEqualTo(new Tag(p.type(), p.timestamp() - base, p.data()));
        }

        assumeTrue(ffprobeAvailable(), "ffprobe is not installed");
        assertThat(ffprobePackets(out)).isEqualTo(ffprobePackets(source));
    }

    static boolean ffprobeAvailable()
    {
        try
        {
            final Process p = new ProcessBuilder("ffprobe", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    /** codec type, pts, dts, size and flags of every packet; fails on any ffprobe error. */
    static String ffprobePackets(final Path file) throws Exception
    {
        final Process p = new ProcessBuilder(
            "ffprobe", "-v", "error", "-show_entries", "packet=codec_type,pts,dts,size,flags", "-of", "csv",
            file.toString()).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err).as("ffprobe errors for %s", file).isEmpty();
        assertThat(p.exitValue()).isZero();
        assertThat(out.lines().count()).isGreaterThan(900);
        return out;
    }
}
