package io.flowcast.engine.rtmp;

import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.engine.media.MediaEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ffmpeg publishes {@code avc-aac-6s.flv} over RTMP to our server while ffmpeg players receive it; the players' FLV
 * files hold the input's audio and video frames (payload hashes, timestamps relative to the first keyframe).
 */
@Tag("slow")
class RtmpFfmpegTest
{
    static final long PROCESS_TIMEOUT_S = 90;

    @TempDir
    Path dir;

    @BeforeAll
    static void ffmpegPresent()
    {
        assumeTrue(ffmpegAvailable(), "ffmpeg is not installed");
    }

    static boolean ffmpegAvailable()
    {
        try
        {
            final Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && 0 == p.exitValue();
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    static Path input()
    {
        return GoldenSession.shared("media/avc-aac-6s.flv");
    }

    Process ffmpeg(final String log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y",
            "-loglevel", "info"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile()).start();
    }

    Process publish(final RtmpServerHarness server, final String name) throws IOException
    {
        return ffmpeg("publish.log", "-re", "-i", input().toString(), "-c", "copy", "-f", "flv",
            server.url("live/" + name));
    }

    Process play(final RtmpServerHarness server, final String name, final String out) throws IOException
    {
        return ffmpeg(out + ".log", "-i", server.url("live/" + name), "-c", "copy", "-f", "flv",
            dir.resolve(out).toString());
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

    @Test
    void ffmpegPublishesAndEarlyAndLateFfmpegPlayersReceiveEveryFrame() throws Exception
    {
        try (RtmpServerHarness server = new RtmpServerHarness(c -> {}))
        {
            final Process early = play(server, "s", "early.flv");
            assertThat(server.await(MediaEvent.PLAY, 1, 30_000)).as("early player plays").isTrue();
            final Process publisher = publish(server, "s");
            assertThat(server.await(MediaEvent.PUBLISH, 1, 30_000)).as("publisher publishes").isTrue();
            Thread.sleep(2_500);
            final Process late = play(server, "s", "late.flv");

            await(publisher, "publisher");
            await(early, "early player");
            await(late, "late player");
            assertThat(publisher.exitValue()).as(log("publish.log")).isZero();
            assertThat(early.exitValue()).as(log("early.flv.log")).isZero();
            assertThat(late.exitValue()).as(log("late.flv.log")).isZero();

            final FlvTags in = FlvTags.read(input());
            final FlvTags earlyOut = FlvTags.read(dir.resolve("early.flv"));
            final FlvTags lateOut = FlvTags.read(dir.resolve("late.flv"));
            final List<String> inFrames = in.framesFromFirstKeyframe();
            System.out.println("input: " + in.tags().size() + " tags, " + inFrames.size() +
                " frames from the first keyframe; early player: " + earlyOut.tags().size() + " tags; late player: " +
                lateOut.tags().size() + " tags, starting at input keyframe ms " + inputTimestampOfFirstKeyframe(in, lateOut) +
                "; digest handshakes: " + server.rtmp.digestHandshakes());
            // ffmpeg's client uses the digest ("complex") handshake: our S1/S2 digests must have satisfied it
            assertThat(server.rtmp.digestHandshakes()).isEqualTo(3);
            assertThat(server.rtmp.protocolErrors()).isZero();

            // the early player gets everything
            assertThat(earlyOut.configHashes()).containsExactlyInAnyOrderElementsOf(in.configHashes());
            assertThat(earlyOut.framesFromFirstKeyframe()).containsExactlyInAnyOrderElementsOf(inFrames);

            // the late joiner starts at a keyframe (the cached GOP's) and has every frame from there on
            assertThat(lateOut.configHashes()).containsExactlyInAnyOrderElementsOf(in.configHashes());
            assertThat(lateOut.tags()).isNotEmpty();
            final List<String> lateFrames = lateOut.framesFromFirstKeyframe();
            final String lateFirstKeyframe = lateFrames.get(0);
            assertThat(lateOut.tags().stream().filter(t -> 9 == t.type() && !t.config()).findFirst().orElseThrow()
                .keyframe()).as("the late joiner's first video frame is a keyframe").isTrue();
            assertThat(lateFrames.size()).isLessThan(inFrames.size()); // it joined later (how much later varies)
            final List<String> inFromThere = framesFrom(in, lateOut);
            assertThat(lateFrames).as("late joiner's first frame " + lateFirstKeyframe)
                .containsExactlyInAnyOrderElementsOf(inFromThere);
        }
    }

    @Test
    void garbageAndAPlayerThatStopsReadingDoNotHurtAHealthyStream() throws Exception
    {
        try (RtmpServerHarness server = new RtmpServerHarness(c -> c
            .outputBufferBytes(128 * 1024)
            .socketSendBufferBytes(16 * 1024)
            .stallTimeout(4, TimeUnit.SECONDS))) // beyond the 2 s video lifetime: the policy acts first
        {
            final Process healthy = play(server, "s", "healthy.flv");
            assertThat(server.await(MediaEvent.PLAY, 1, 30_000)).isTrue();
            final RawRtmpClient stalled = new RawRtmpClient(server.port(), 4096);
            stalled.handshake();
            stalled.play("s"); // and never reads again: behind after 2 s (drops), closed after 4 s
            assertThat(server.await(MediaEvent.PLAY, 2, 30_000)).isTrue();
            final Process publisher = publish(server, "s");
            assertThat(server.await(MediaEvent.PUBLISH, 1, 30_000)).isTrue();

            // handshake garbage: not RTMP version 3
            try (RawRtmpClient garbage = new RawRtmpClient(server.port(), 0))
            {
                final byte[] bytes = new byte[10_000];
                new java.util.Random(7).nextBytes(bytes);
                bytes[0] = 'G';
                garbage.raw(bytes);
                assertThat(garbage.closedByServer()).as("handshake garbage closed").isTrue();
            }
            // a type 1 chunk header on a chunk stream that never had a type 0
            try (RawRtmpClient noHeader = new RawRtmpClient(server.port(), 0))
            {
                noHeader.handshake();
                noHeader.raw(new byte[]{0x47, 0, 0, 0, 0, 0, 10, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
                assertThat(noHeader.closedByServer()).as("headerless chunk closed").isTrue();
            }
            // an absurd message length (16 MiB - 1)
            try (RawRtmpClient huge = new RawRtmpClient(server.port(), 0))
            {
                huge.handshake();
                huge.raw(new byte[]{0x03, 0, 0, 0, (byte)0xFF, (byte)0xFF, (byte)0xFF, 20, 0, 0, 0, 0, 1, 2, 3});
                assertThat(huge.closedByServer()).as("absurd length closed").isTrue();
            }
            // Set Chunk Size 0
            try (RawRtmpClient zero = new RawRtmpClient(server.port(), 0))
            {
                zero.handshake();
                zero.raw(new byte[]{0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0});
                assertThat(zero.closedByServer()).as("chunk size 0 closed").isTrue();
            }

            await(publisher, "publisher");
            await(healthy, "healthy player");
            assertThat(publisher.exitValue()).as(log("publish.log")).isZero();
            assertThat(healthy.exitValue()).as(log("healthy.flv.log")).isZero();
            final FlvTags in = FlvTags.read(input());
            final FlvTags out = FlvTags.read(dir.resolve("healthy.flv"));
            assertThat(out.configHashes()).containsExactlyInAnyOrderElementsOf(in.configHashes());
            assertThat(out.framesFromFirstKeyframe()).containsExactlyInAnyOrderElementsOf(in.framesFromFirstKeyframe());

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.rtmp.stalledConnections() < 1 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(50);
            }
            System.out.println("protocol errors " + server.rtmp.protocolErrors() + ", stalled " +
                server.rtmp.stalledConnections());
            assertThat(server.rtmp.stalledConnections()).as("the player that stopped reading was closed").isOne();
            // before it was closed, the policy dropped what its full output refused (the healthy player dropped none)
            assertThat(server.await(MediaEvent.STOP, 2, 30_000)).as("both players' stop events").isTrue();
            final List<String> stops = server.events.stream().filter(e -> e.startsWith("stop ")).toList();
            System.out.println(stops);
            assertThat(stops).hasSize(2);
            assertThat(stops).anyMatch(e -> e.endsWith(" dropped=0"));
            assertThat(stops).anyMatch(e -> !e.endsWith(" dropped=0"));
            assertThat(server.rtmp.protocolErrors()).isEqualTo(4);
            stalled.close();
        }
    }

    static int inputTimestampOfFirstKeyframe(final FlvTags in, final FlvTags late)
    {
        final FlvTags.Tag first = late.tags().stream().filter(FlvTags.Tag::keyframe).findFirst().orElseThrow();
        return in.tags().stream().filter(t -> t.hash().equals(first.hash())).findFirst().orElseThrow().timestamp();
    }

    /**
     * @return the input's frames from the keyframe the late joiner started at, relative to that keyframe.
     */
    static List<String> framesFrom(final FlvTags in, final FlvTags late)
    {
        final FlvTags.Tag first = late.tags().stream().filter(FlvTags.Tag::keyframe).findFirst().orElseThrow();
        final List<FlvTags.Tag> from = new ArrayList<>();
        boolean started = false;
        for (final FlvTags.Tag tag : in.tags())
        {
            started |= tag.keyframe() && tag.hash().equals(first.hash());
            if (started)
            {
                from.add(tag);
            }
        }
        final FlvTags sub = new FlvTags(from);
        return sub.framesFromFirstKeyframe();
    }
}
