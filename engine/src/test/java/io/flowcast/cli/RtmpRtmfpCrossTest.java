package io.flowcast.cli;

import io.flowcast.engine.media.MediaEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One namespace for RTMP and RTMFP (issue 8): an ffmpeg RTMP publisher feeds our RTMFP player, and our RTMFP
 * publisher feeds an ffmpeg RTMP player; each output holds the input's audio and video frames (payload hashes,
 * timestamps relative to the first keyframe, as ffmpeg may shift them). Skipped when ffmpeg is absent.
 */
@Tag("slow")
@Timeout(180)
class RtmpRtmfpCrossTest
{
    @TempDir
    Path dir;

    @BeforeAll
    static void ffmpegPresent()
    {
        boolean present;
        try
        {
            final Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            present = p.waitFor(20, TimeUnit.SECONDS) && 0 == p.exitValue();
        }
        catch (final IOException | InterruptedException ex)
        {
            present = false;
        }
        assumeTrue(present, "ffmpeg is not installed");
    }

    private Process ffmpeg(final String log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-y",
            "-loglevel", "info"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private String log(final String name) throws IOException
    {
        final Path path = dir.resolve(name);
        return Files.exists(path) ? Files.readString(path) : "";
    }

    /**
     * @return each tag as "type@ms-since-the-first-keyframe:hash[:flag]", decoder configurations left out.
     */
    static List<String> framesFromFirstKeyframe(final FlvMessages messages)
    {
        int base = -1;
        for (final String video : messages.video())
        {
            if (video.endsWith(":key"))
            {
                base = Integer.parseInt(video.substring(2, video.indexOf(':')));
                break;
            }
        }
        final List<String> frames = new ArrayList<>();
        for (final String tag : messages.all())
        {
            final int at = tag.indexOf('@');
            final int colon = tag.indexOf(':');
            final int ts = Integer.parseInt(tag.substring(at + 1, colon));
            if (tag.startsWith("18@") || tag.endsWith(":config") || ts < base || isAudioConfig(tag, messages))
            {
                continue;
            }
            frames.add(tag.substring(0, at + 1) + (ts - base) + tag.substring(colon));
        }
        // audio and video travel on separate flows: compare each kind in its own order
        frames.sort((a, b) -> a.charAt(0) == b.charAt(0) ? 0 : Character.compare(a.charAt(0), b.charAt(0)));
        return frames;
    }

    private static boolean isAudioConfig(final String tag, final FlvMessages messages)
    {
        return tag.startsWith("8@") && !messages.audio().isEmpty() && messages.audio().get(0).equals(tag);
    }

    @Test
    void ffmpegRtmpPublisherFeedsOurRtmfpPlayer() throws Exception
    {
        final ExecutorService threads = Executors.newSingleThreadExecutor();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final Path flv = dir.resolve("rtmfp-player.flv");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final Future<Integer> player = threads.submit(() -> RtmfpPublishPlayTest.run(out, err, "play",
                server.rtmfpUri("live", "s"), "--out", flv.toString(), "--seconds", "90"));
            assertThat(server.await(MediaEvent.PLAY, 1, 30_000)).as(err.toString()).isTrue();
            final Path input = RtmfpPublishPlayTest.input("avc-aac-6s.flv");
            final Process publisher = ffmpeg("publish.log", "-re", "-i", input.toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live/s"));
            assertThat(publisher.waitFor(90, TimeUnit.SECONDS)).as("ffmpeg publishes").isTrue();
            assertThat(publisher.exitValue()).as(log("publish.log")).isZero();
            assertThat(player.get(60, TimeUnit.SECONDS)).as(out + " " + err).isZero();
            System.out.println(out.toString().trim());

            final List<String> expected = framesFromFirstKeyframe(FlvMessages.read(input));
            final List<String> got = framesFromFirstKeyframe(FlvMessages.read(flv));
            assertThat(got).hasSize(expected.size()).containsExactlyElementsOf(expected);
            assertThat(FlvMessages.read(flv).video().get(0)).endsWith(":config");
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void ourRtmfpPublisherFeedsAnFfmpegRtmpPlayer() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final Path flv = dir.resolve("rtmp-player.flv");
            final Process player = ffmpeg("play.log", "-i", server.rtmpUrl("live/s"), "-c", "copy", "-f", "flv",
                flv.toString());
            assertThat(server.await(MediaEvent.PLAY, 1, 30_000)).as(log("play.log")).isTrue();
            final Path input = RtmfpPublishPlayTest.input("avc-aac-6s.flv");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "publish", input.toString(), server.rtmfpUri("live", "s")))
                .as(out + " " + err).isZero();
            assertThat(player.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg player ends").isTrue();
            assertThat(player.exitValue()).as(log("play.log")).isZero();
            System.out.println(out.toString().trim());

            final List<String> expected = framesFromFirstKeyframe(FlvMessages.read(input));
            final List<String> got = framesFromFirstKeyframe(FlvMessages.read(flv));
            assertThat(got).hasSize(expected.size()).containsExactlyElementsOf(expected);
        }
    }
}
