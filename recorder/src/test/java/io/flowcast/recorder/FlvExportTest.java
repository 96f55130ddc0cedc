package io.flowcast.recorder;

import io.flowcast.codec.flv.FlvFileHeader;
import io.flowcast.recorder.flv.FlvFileWriter;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Publishes the tags of a real FLV file into a journal as a publisher would (script data behind
 * {@code @setDataFrame}, another stream interleaved), exports the stream and compares tag by tag.
 */
class FlvExportTest
{
    static final long T0_MS = 1_700_000_000_000L;
    static final byte[] SET_DATA_FRAME = {0x02, 0x00, 0x0D, '@', 's', 'e', 't', 'D', 'a', 't', 'a', 'F', 'r', 'a',
        'm', 'e'};

    @TempDir
    static Path dir;
    static Path journal;
    static List<FlvTestFile.Tag> source;

    /** Receive time of source tag i: 1 ms apart per tag plus the media timestamp. */
    static long receiveMs(final int i)
    {
        return T0_MS + source.get(i).timestamp() + i;
    }

    @BeforeAll
    static void publish() throws IOException
    {
        source = FlvTestFile.read(FlvTestFile.sharedMedia("avc-aac-6s.flv"));
        journal = dir.resolve("journal");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
        try (JournalWriter writer = new JournalWriter(journal, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < source.size(); i++)
            {
                final FlvTestFile.Tag tag = source.get(i);
                int length = 0;
                if (tag.type() == 18)
                {
                    buffer.putBytes(0, SET_DATA_FRAME);
                    length = SET_DATA_FRAME.length;
                }
                buffer.putBytes(length, tag.data());
                length += tag.data().length;
                final long recvNs = receiveMs(i) * 1_000_000L;
                writer.append("live/cam", tag.type(), tag.timestamp() + 5000, recvNs, buffer, 0, length);
                // another stream and a command interleaved: neither may appear in the export
                writer.append("live/other", 8, i, recvNs, buffer, 0, 3);
                if (i % 100 == 0)
                {
                    final byte[] cmd = "\u0002\u0000\u0007publish".getBytes(StandardCharsets.ISO_8859_1);
                    buffer.putBytes(0, cmd);
                    writer.append("live/cam", 20, tag.timestamp() + 5000, recvNs, buffer, 0, cmd.length);
                }
            }
        }
    }

    @Test
    void exportedFileHasTheSameTagsAsTheSource() throws IOException
    {
        final Path out = dir.resolve("all.flv");
        final FlvExporter.Result result;
        try (JournalReader reader = JournalReader.open(journal); FlvFileWriter writer = new FlvFileWriter(out))
        {
            result = FlvExporter.export(reader, "live/cam", Long.MIN_VALUE, Long.MAX_VALUE, writer);
        }
        final List<FlvTestFile.Tag> exported = FlvTestFile.read(out);
        assertThat(exported).hasSize(source.size());
        for (int i = 0; i < source.size(); i++)
        {
            assertThat(exported.get(i)).as("tag %d", i).isEqualTo(source.get(i));
        }
        assertThat(result.tags()).isEqualTo(source.size());
        assertThat(result.dataTags()).isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(5); // the commands
        assertThat(FlvTestFile.flags(out)).isEqualTo(FlvFileHeader.FLAG_AUDIO | FlvFileHeader.FLAG_VIDEO);
    }

    @Test
    void indexSummarisesEveryStream()
    {
        final JournalIndex index = JournalIndex.scan(journal);
        assertThat(index.streams()).extracting(JournalIndex.StreamSummary::key).containsExactly("live/cam", "live/other");
        final JournalIndex.StreamSummary cam = index.stream("live/cam");
        assertThat(cam.messages()).isEqualTo(source.size() + 5);
        assertThat(cam.messages(8)).isEqualTo(261);
        assertThat(cam.messages(9)).isEqualTo(152);
        assertThat(cam.messages(18)).isEqualTo(1);
        assertThat(cam.messages(20)).isEqualTo(5);
        assertThat(cam.firstReceiveNs()).isEqualTo(receiveMs(0) * 1_000_000L);
        assertThat(cam.lastReceiveNs()).isEqualTo(receiveMs(source.size() - 1) * 1_000_000L);
        assertThat(cam.firstMediaTimestamp()).isEqualTo(5000);
        assertThat(cam.lastMediaTimestamp()).isEqualTo(5000 + source.get(source.size() - 1).timestamp());
        final long payload = source.stream().mapToLong(t -> t.data().length).sum() + 16 + 5 * 10;
        assertThat(cam.payloadBytes()).isEqualTo(payload);
        assertThat(index.stream("live/other").messages()).isEqualTo(source.size());
        assertThat(index.stream("nope")).isNull();
        assertThat(index.messages()).isEqualTo(2L * source.size() + 5);
        assertThat(index.rollFiles()).isEqualTo(1);
        assertThat(index.fileBytes()).isPositive();
    }

    @Test
    void rangeExportStartsDecodableWithCarriedConfigurationAndAKeyFrame() throws IOException
    {
        final int middle = source.size() / 2;
        final int last = source.size() - 20;
        final Path out = dir.resolve("range.flv");
        try (JournalReader reader = JournalReader.open(journal); FlvFileWriter writer = new FlvFileWriter(out))
        {
            FlvExporter.export(reader, "live/cam", receiveMs(middle), receiveMs(last), writer);
        }
        final List<FlvTestFile.Tag> exported = FlvTestFile.read(out);
        // metadata, AVC and AAC sequence headers first, at 0
        assertThat(exported.get(0).type()).isEqualTo(18);
        assertThat(exported.get(0).data()).isEqualTo(source.get(0).data());
        assertThat(exported.get(1).data()).isEqualTo(source.get(1).data());
        assertThat(exported.get(2).data()).isEqualTo(source.get(2).data());
        assertThat(exported.subList(0, 3)).allMatch(t -> t.timestamp() == 0);
        // then the range: video from the first key frame on, the last tag is the one at 'to'
        final FlvTestFile.Tag firstVideo = exported.stream().skip(3).filter(t -> t.type() == 9).findFirst().get();
        assertThat((firstVideo.data()[0] & 0xF0) >> 4).isEqualTo(1);
        assertThat(exported.get(exported.size() - 1).data()).isEqualTo(source.get(last).data());
        final long base = source.get(middle).timestamp();
        final FlvTestFile.Tag firstAudio = exported.stream().skip(3).filter(t -> t.type() == 8).findFirst().get();
        assertThat(firstAudio.timestamp()).isGreaterThanOrEqualTo(0).isLessThan(100);
        assertThat(exported.get(exported.size() - 1).timestamp()).isEqualTo(source.get(last).timestamp() - base);
    }

    @Tag("slow")
    @Test
    void ffprobeSeesTheSamePacketsAsInTheSource() throws Exception
    {
        assumeTrue(ffprobeAvailable(), "ffprobe is not installed");
        final Path out = dir.resolve("probe.flv");
        try (JournalReader reader = JournalReader.open(journal); FlvFileWriter writer = new FlvFileWriter(out))
        {
            FlvExporter.export(reader, "live/cam", Long.MIN_VALUE, Long.MAX_VALUE, writer);
        }
        final String expected = ffprobePackets(FlvTestFile.sharedMedia("avc-aac-6s.flv"));
        final String actual = ffprobePackets(out);
        assertThat(actual.lines().count()).isEqualTo(410);
        assertThat(actual).isEqualTo(expected);
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

    /** codec type, pts, dts, size and flags of every packet, as ffprobe reports them; fails on any ffprobe error. */
    static String ffprobePackets(final Path file) throws Exception
    {
        final Process p = new ProcessBuilder(
            "ffprobe", "-v", "error", "-show_entries", "packet=codec_type,pts,dts,size,flags", "-of", "csv",
            file.toString()).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(err).as("ffprobe errors for %s", file).isEmpty();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.size(file)).isPositive();
        return out;
    }
}
