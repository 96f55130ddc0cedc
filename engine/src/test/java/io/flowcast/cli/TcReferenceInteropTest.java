package io.flowcast.cli;

import io.flowcast.engine.media.MediaEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * RFC 7425 media against the reference implementation's programs, run as black boxes on loopback; skipped unless the
 * binaries are present ({@code FLOWCAST_REFERENCE_BIN} or {@code /tmp/rtmfp-ref/src/test}).
 * <ul>
 * <li>{@code tcpublish} publishes {@code avc-aac-20s-1500k.flv} to our server while ten {@code tcconn} play it: each
 * player reports exactly the audio and video messages our server received from the publisher (601 video and 940
 * audio here: every tag of the file but the AVC end-of-sequence; tcpublish may drop its last tag as it closes).</li>
 * <li>Our {@code flowcast publish} to the reference {@code tcserver} while our {@code flowcast play} plays: the
 * player's FLV holds exactly the input's audio and video tags.</li>
 * </ul>
 */
@Tag("slow")
@Timeout(180)
class TcReferenceInteropTest
{
    private static final int PLAYERS = 10;

    @TempDir
    Path dir;

    static Path binary(final String name)
    {
        final String env = System.getenv("FLOWCAST_REFERENCE_BIN");
        final Path path = Paths.get(null != env && !env.isBlank() ? env : "/tmp/rtmfp-ref/src/test").resolve(name);
        assumeTrue(Files.isExecutable(path), "reference binary " + path + " not present");
        return path;
    }

    static long count(final Path log, final String what) throws IOException
    {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(what)).count();
    }

    @Test
    void referencePublisherToTenReferencePlayersThroughOurServer() throws Exception
    {
        final Path tcconn = binary("tcconn");
        final Path tcpublish = binary("tcpublish");
        final List<Process> players = new ArrayList<>();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final String uri = server.rtmfpUri("live", "ref");
            for (int i = 0; i < PLAYERS; i++)
            {
                players.add(new ProcessBuilder(tcconn.toString(), "-4", uri).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("tcconn" + i + ".log").toFile()).start());
            }
            assertThat(server.await(MediaEvent.PLAY, PLAYERS, 30_000)).as("tcconn players play").isTrue();
            final Process publisher = new ProcessBuilder(tcpublish.toString(), "-4", uri,
                RtmfpPublishPlayTest.input("avc-aac-20s-1500k.flv").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tcpublish.log").toFile()).start();
            assertThat(publisher.waitFor(90, TimeUnit.SECONDS)).as("tcpublish ends").isTrue();
            assertThat(server.await(MediaEvent.UNPUBLISH, 1, 10_000)).as("unpublished").isTrue();
            // the UnpublishNotify (after a Flow Sync) is on its way to every player; tcconn buffers its output until
            // it exits, so give delivery a generous moment before asking them to stop
            Thread.sleep(3_000);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (final Process player : players)
            {
                player.destroy(); // SIGTERM: tcconn shuts down in order and flushes its output
            }
            for (final Process player : players)
            {
                player.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            final long audio = server.publishedAudio.get();
            final long video = server.publishedVideo.get();
            System.out.println("our server received from tcpublish: " + video + " video, " + audio + " audio");
            // the file: 602 video tags (AVC config, 600 frames, end of sequence), 940 audio (AAC config, 939 frames);
            // tcpublish closes right after queuing its last tags, so the last ones may not leave it
            assertThat(video).as("video messages from tcpublish").isGreaterThanOrEqualTo(600);
            assertThat(audio).as("audio messages from tcpublish").isGreaterThanOrEqualTo(939);
            for (int i = 0; i < PLAYERS; i++)
            {
                final Path log = dir.resolve("tcconn" + i + ".log");
                final long gotVideo = count(log, "stream onVideo");
                final long gotAudio = count(log, "stream onAudio");
                System.out.println("tcconn " + i + ": " + gotVideo + " video, " + gotAudio + " audio, UnpublishNotify " +
                    count(log, "NetStream.Play.UnpublishNotify"));
                assertThat(gotVideo).as("tcconn " + i + " video").isEqualTo(video);
                assertThat(gotAudio).as("tcconn " + i + " audio").isEqualTo(audio);
                assertThat(count(log, "NetStream.Play.UnpublishNotify")).as("tcconn " + i).isEqualTo(1);
            }
            assertThat(server.tc.counters().malformedMessages()).isZero();
        }
        finally
        {
            for (final Process player : players)
            {
                player.destroyForcibly();
            }
        }
    }

    @Test
    void ourPublishAndPlayThroughTheReferenceServer() throws Exception
    {
        final Path tcserver = binary("tcserver");
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final Process server = new ProcessBuilder(tcserver.toString(), "-B", "127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("tcserver.log").toFile()).start();
        final ExecutorService threads = Executors.newSingleThreadExecutor();
        try
        {
            Thread.sleep(500);
            final String uri = "rtmfp://127.0.0.1:" + port + "/live#ours";
            final Path flv = dir.resolve("play.flv");
            final StringWriter playOut = new StringWriter();
            final StringWriter playErr = new StringWriter();
            final Future<Integer> play = threads.submit(() -> RtmfpPublishPlayTest.run(playOut, playErr,
                "play", uri, "--out", flv.toString(), "--seconds", "60"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(dir.resolve("tcserver.log")).contains("\"@type\":\"play\"") &&
                System.nanoTime() - deadline < 0)
            {
                Thread.sleep(20);
            }
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final Path input = RtmfpPublishPlayTest.input("avc-aac-6s.flv");
            assertThat(RtmfpPublishPlayTest.run(out, err, "publish", input.toString(), uri, "--speed", "4"))
                .as(out + " " + err).isZero();
            assertThat(play.get(60, TimeUnit.SECONDS)).as(playOut + " " + playErr).isZero();
            System.out.println(out.toString().trim() + "\n" + playOut.toString().trim());

            final FlvMessages in = FlvMessages.read(input);
            final FlvMessages got = FlvMessages.read(flv);
            assertThat(got.audio()).containsExactlyElementsOf(in.audio());
            assertThat(got.video()).containsExactlyElementsOf(in.video());
        }
        finally
        {
            threads.shutdownNow();
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }
}
