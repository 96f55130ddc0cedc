package io.flowcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.flv.VideoTagHeader;
import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.recorder.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The recorder through the real {@code flowcast server --record DIR} (in-process, as {@link ServerCommandTest}):
 * ffmpeg publishes {@code avc-aac-6s.flv} over RTMP; {@code flowcast journal ls} and {@code journal export} show
 * and give back exactly the input's audio and video tags; an ffmpeg player of {@code s@start} gets them again
 * through the server, paced (the wall time against the stream's duration is printed, bounded only loosely).
 */
@Tag("slow")
@Timeout(240)
class ServerRecordingEndToEndTest
{
    static final long PROCESS_TIMEOUT_S = 90;

    @TempDir
    Path dir;

    /** An audio or video tag: type, timestamp relative to the first tag of that file, payload digest. */
    record Tag(int type, int timestamp, String hash)
    {
    }

    @BeforeAll
    static void ffmpegPresent()
    {
        assumeTrue(available("ffmpeg") && available("ffprobe"), "ffmpeg/ffprobe are not installed");
    }

    @Test
    void recordsAnFfmpegPublishExportsItAndReplaysItThroughTheServer() throws Exception
    {
        final Path input = GoldenSession.shared("media/avc-aac-6s.flv");
        final Path journal = dir.resolve("journal");
        final int tcpPort = ServerCommandTest.freeTcpPort();
        final ServerCommand command = new ServerCommand();
        final StringWriter out = new StringWriter();
        final CommandLine server = new CommandLine(command)
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> server.execute(
            "--rtmfp", "127.0.0.1:" + ServerCommandTest.freeUdpPort(),
            "--rtmp", "127.0.0.1:" + tcpPort,
            "--record", journal.toString(),
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key")));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!out.toString().contains("recording [*]") && !exit.isDone() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(out.toString()).contains("RTMP on tcp /127.0.0.1:" + tcpPort).contains("recording [*] to ");
            final String url = "rtmp://127.0.0.1:" + tcpPort + "/live/";

            // publish as fast as ffmpeg reads the file (no -re): the server and the recorder keep up
            final long publishStart = System.nanoTime();
            final Process publisher = ffmpeg("publish.log", "-i", input.toString(), "-c", "copy", "-f", "flv",
                url + "s");
            await(publisher, "publisher");
            assertThat(publisher.exitValue()).as(log("publish.log")).isZero();
            assertThat(events(out, "unpublish", "s")).isEqualTo(1);
            final double publishS = (System.nanoTime() - publishStart) / 1e9;

            final List<Tag> in = tags(input);
            final long audio = in.stream().filter(t -> 8 == t.type()).count();
            final long video = in.stream().filter(t -> 9 == t.type()).count();

            // journal ls: the stream with its message counts: audio, video (plus the AVC end-of-sequence that
            // ffmpeg's FLV muxer sends last, recorded as sent), and the one onMetaData
            final JournalCommandTest.Run ls = JournalCommandTest.run("journal", "ls", journal.toString());
            assertThat(ls.exit()).as(ls.err()).isZero();
            final String line = ls.out().lines().filter(l -> l.startsWith("live/s ")).findFirst().orElseThrow();
            assertThat(ls.out()).contains("1 stream(s), " + (audio + video + 2) + " messages");
            assertThat(line.split("\\s+"))
                .containsSubsequence(Long.toString(audio), Long.toString(video + 1), "1", "0");

            // journal export: exactly the input's audio and video tags; ffprobe sees the same packets
            final Path exported = dir.resolve("export.flv");
            final JournalCommandTest.Run export = JournalCommandTest.run("journal", "export", journal.toString(),
                "--stream", "live/s", "--out", exported.toString());
            assertThat(export.exit()).as(export.err()).isZero();
            assertSameTags(tags(exported), in);
            assertThat(ffprobePackets(exported)).isEqualTo(ffprobePackets(input));

            // replay through the server to an ffmpeg RTMP player
            final long playStart = System.nanoTime();
            final Path played = dir.resolve("played.flv");
            final Process player = ffmpeg("play.log", "-i", url + "s@start", "-c", "copy", "-f", "flv",
                played.toString());
            await(player, "player");
            final double playS = (System.nanoTime() - playStart) / 1e9;
            assertThat(player.exitValue()).as(log("play.log")).isZero();
            assertThat(events(out, "unpublish", "s@start")).isEqualTo(1);
            final List<Tag> replayed = tags(played);
            assertSameTags(replayed, in);

            final double durationS = in.get(in.size() - 1).timestamp() / 1e3;
            System.out.printf("publish of %d tags (%.3f s of media) took %.3f s without -re; replay to an ffmpeg " +
                "player took %.3f s wall (ffmpeg start-up included), %.3f s over the media duration%n",
                in.size(), durationS, publishS, playS, playS - durationS);
            // paced, not dumped: a 6 s stream cannot arrive in less than half of it (no upper timing bound)
            assertThat(playS).isGreaterThan(durationS / 2);
        }
        finally
        {
            command.requestStop();
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    /**
     * A {@code flowcast server --record} child JVM killed with SIGKILL while ffmpeg publishes (at the file's pace): the
     * journal opens, what it holds is a gapless prefix of the input's audio and video (payload bytes, timestamps);
     * the next server run on the same directory appends a whole second publish after it.
     */
    @Test
    void aServerKilledMidRecordingLeavesAReadableJournalAndTheNextRunAppendsAfterIt() throws Exception
    {
        final Path input = GoldenSession.shared("media/avc-aac-6s.flv");
        final Path journal = dir.resolve("journal");
        final int tcpPort = ServerCommandTest.freeTcpPort();
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String flag : System.getProperty("flowcast.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), FlowcastCli.class.getName(),
            "server", "--rtmfp", "127.0.0.1:" + ServerCommandTest.freeUdpPort(),
            "--rtmp", "127.0.0.1:" + tcpPort, "--record", journal.toString(),
            "--counters-dir", dir.resolve("counters-child").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key")));
        final Path childLog = dir.resolve("child.log");
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(childLog.toFile()).start();
        Process publisher = null;
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!log("child.log").contains("recording [*]") && child.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(log("child.log")).contains("recording [*] to ");
            publisher = ffmpeg("publish-killed.log", "-re", "-i", input.toString(), "-c", "copy", "-f", "flv",
                "rtmp://127.0.0.1:" + tcpPort + "/live/s");
            final long publishDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!log("child.log").contains("\"event\":\"publish\"") && System.nanoTime() < publishDeadline)
            {
                Thread.sleep(20);
            }
            Thread.sleep(2_000);
            child.destroyForcibly(); // SIGKILL, mid-stream: the recorder thread gets no chance to drain or close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            child.destroyForcibly();
            if (null != publisher)
            {
                publisher.destroyForcibly();
                publisher.waitFor(30, TimeUnit.SECONDS);
            }
        }

        final List<Tag> in = tags(input);
        final List<Tag> first = journalTags(journal, "live/s");
        System.out.println("killed after 2 s of a 6 s publish: " + first.size() + " audio/video messages in the journal");
        assertThat(first.size()).as("recorded before the kill").isGreaterThan(10).isLessThan(in.size());
        for (final int type : new int[]{8, 9})
        {
            final List<Tag> recorded = first.stream().filter(t -> type == t.type()).toList();
            assertThat(recorded).as("type " + type + ": a prefix of the input")
                .containsExactlyElementsOf(in.stream().filter(t -> type == t.type()).limit(recorded.size()).toList());
        }

        // the next run on the same directory: a whole publish, appended after what the killed run left
        final ServerCommand next = new ServerCommand();
        final StringWriter out = new StringWriter();
        final CommandLine server = new CommandLine(next)
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        final int port2 = ServerCommandTest.freeTcpPort();
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> server.execute(
            "--rtmfp", "127.0.0.1:" + ServerCommandTest.freeUdpPort(),
            "--rtmp", "127.0.0.1:" + port2, "--record", journal.toString(),
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key")));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!out.toString().contains("recording [*]") && !exit.isDone() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            final Process again = ffmpeg("publish-again.log", "-i", input.toString(), "-c", "copy", "-f", "flv",
                "rtmp://127.0.0.1:" + port2 + "/live/s");
            await(again, "second publisher");
            assertThat(again.exitValue()).as(log("publish-again.log")).isZero();
            assertThat(events(out, "unpublish", "s")).isEqualTo(1);
        }
        finally
        {
            next.requestStop();
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        final List<Tag> both = journalTags(journal, "live/s");
        assertThat(both.subList(0, first.size())).as("the killed run's messages, first").isEqualTo(first);
        final List<Tag> second = rebase(both.subList(first.size(), both.size()));
        assertSameTags(second, in);
    }

    /** The audio/video messages of one stream in a journal, in journal order, as tags (AVC end of sequence left out). */
    static List<Tag> journalTags(final Path journal, final String key) throws Exception
    {
        final List<Tag> tags = new ArrayList<>();
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final VideoTagHeader video = new VideoTagHeader();
        final long[] base = {-1};
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.next(m ->
            {
                final int type = m.messageType();
                if (!m.streamKeyEquals(key) || (8 != type && 9 != type))
                {
                    return;
                }
                if (9 == type && video.wrap(m.buffer(), m.payloadOffset(), m.payloadLength()) >= 0 &&
                    !video.exHeader() && VideoTagHeader.AVC_END_OF_SEQUENCE == video.packetType())
                {
                    return;
                }
                base[0] = base[0] < 0 ? m.mediaTimestamp() : base[0];
                final byte[] payload = new byte[m.payloadLength()];
                m.buffer().getBytes(m.payloadOffset(), payload);
                tags.add(new Tag(type, (int)(m.mediaTimestamp() - base[0]),
                    HexFormat.of().formatHex(sha.digest(payload), 0, 8)));
            }))
            {
                // read all
            }
        }
        return tags;
    }

    /** The same tags with timestamps relative to the first of them. */
    static List<Tag> rebase(final List<Tag> tags)
    {
        final int base = tags.get(0).timestamp();
        return tags.stream().map(t -> new Tag(t.type(), t.timestamp() - base, t.hash())).toList();
    }

    static void assertSameTags(final List<Tag> actual, final List<Tag> expected)
    {
        // each kind in order; between the two kinds the interleaving is ffmpeg's to choose
        for (final int type : new int[]{8, 9})
        {
            assertThat(actual.stream().filter(t -> type == t.type()).toList())
                .as("type " + type + " tags").containsExactlyElementsOf(
                    expected.stream().filter(t -> type == t.type()).toList());
        }
    }

    /** Audio and video tags of an FLV file (video end-of-sequence markers left out: ffmpeg's muxer adds them). */
    static List<Tag> tags(final Path file) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        final FlvReader reader = new FlvReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        final List<Tag> tags = new ArrayList<>();
        assertThat(reader.readHeader()).as("FLV header of " + file).isGreaterThanOrEqualTo(0);
        final VideoTagHeader video = new VideoTagHeader();
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int base = -1;
        while (reader.next() >= 0)
        {
            final int type = reader.tagType();
            if (8 != type && 9 != type)
            {
                continue;
            }
            if (9 == type && video.wrap(reader.buffer(), reader.dataOffset(), reader.dataSize()) >= 0 &&
                !video.exHeader() && VideoTagHeader.AVC_END_OF_SEQUENCE == video.packetType())
            {
                continue;
            }
            base = base < 0 ? reader.timestamp() : base;
            sha.update(bytes, reader.dataOffset(), reader.dataSize());
            tags.add(new Tag(type, reader.timestamp() - base, HexFormat.of().formatHex(sha.digest(), 0, 8)));
        }
        assertThat(tags).as("tags of " + file).isNotEmpty();
        return tags;
    }

    /** codec type, size and key flag of every packet, sorted (the interleaving may differ); fails on ffprobe errors. */
    static List<String> ffprobePackets(final Path file) throws Exception
    {
        final Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "packet=codec_type,size,flags",
            "-of", "csv", file.toString()).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(err).as("ffprobe errors for %s", file).isEmpty();
        assertThat(p.exitValue()).isZero();
        final List<String> packets = new ArrayList<>(out.lines().toList());
        assertThat(packets).isNotEmpty();
        packets.sort(null);
        return packets;
    }

    /** Waits up to 30 s for a server event line for this stream; returns how many there are. */
    static int events(final StringWriter out, final String event, final String stream) throws Exception
    {
        final ObjectMapper json = new ObjectMapper();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int count = 0;
        while (0 == count && System.nanoTime() < deadline)
        {
            for (final String line : out.toString().split("\n"))
            {
                if (line.startsWith("{"))
                {
                    final JsonNode node = json.readTree(line);
                    if (event.equals(node.get("event").asText()) && node.has("stream") &&
                        stream.equals(node.get("stream").asText()))
                    {
                        count++;
                    }
                }
            }
            if (0 == count)
            {
                Thread.sleep(20);
            }
        }
        return count;
    }

    Process ffmpeg(final String log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y",
            "-loglevel", "info"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    String log(final String name) throws IOException
    {
        final Path path = dir.resolve(name);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    static void await(final Process process, final String what) throws InterruptedException
    {
        if (!process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish in " + PROCESS_TIMEOUT_S + " s");
        }
    }

    static boolean available(final String tool)
    {
        try
        {
            final Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && 0 == p.exitValue();
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
