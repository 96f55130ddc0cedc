package io.flowcast.cli;

import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.engine.media.MediaEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our RTMFP clients against our media server over RFC 7425 flows, all in this JVM: {@code flowcast publish} of
 * {@code avc-aac-6s.flv} (4 x the file's rate) reaches three {@code flowcast play} players joined before it started,
 * and each player's FLV holds exactly the input's audio and video tags (payload bytes and timestamps).
 */
@Tag("slow")
class RtmfpPublishPlayTest
{
    @TempDir
    Path dir;

    static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        final CommandLine line = FlowcastCli.commandLine();
        line.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    static Path input(final String name)
    {
        return GoldenSession.shared("media/" + name);
    }

    @Test
    void ourPublishReachesThreeOfOurPlayersTagForTag() throws Exception
    {
        publishToPlayers("avc-aac-6s.flv", 3, "4");
    }

    @Test
    void twentySecondFileReachesTwoPlayersTagForTag() throws Exception
    {
        publishToPlayers("avc-aac-20s-1500k.flv", 2, System.getProperty("speed20", "2"));
    }

    private void publishToPlayers(final String file, final int players, final String speed) throws Exception
    {
        final ExecutorService threads = Executors.newCachedThreadPool();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final String uri = server.rtmfpUri("live", "s");
            final List<Future<Integer>> exits = new ArrayList<>();
            final List<StringWriter> logs = new ArrayList<>();
            for (int i = 0; i < players; i++)
            {
                final StringWriter out = new StringWriter();
                final StringWriter err = new StringWriter();
                logs.add(out);
                logs.add(err);
                final String flv = dir.resolve("player" + i + ".flv").toString();
                exits.add(threads.submit(() -> run(out, err, "play", uri, "--out", flv, "--seconds", "60")));
            }
            assertThat(server.await(MediaEvent.PLAY, players, 30_000)).as("players play: " + logs).isTrue();

            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int published = run(out, err, "publish", input(file).toString(), uri, "--speed", speed);
            assertThat(published).as(out + " " + err).isZero();
            for (int i = 0; i < players; i++)
            {
                assertThat(exits.get(i).get(60, TimeUnit.SECONDS)).as("player " + i + ": " + logs).isZero();
            }
            System.out.println(out.toString().trim());
            System.out.println(logs);

            final FlvMessages in = FlvMessages.read(input(file));
            for (int i = 0; i < players; i++)
            {
                final FlvMessages got = FlvMessages.read(dir.resolve("player" + i + ".flv"));
                final String why = "player " + i + " (server: " + server.tc.counters().backPressured() +
                    " messages refused by full flows; events " + server.events + ")";
                assertThat(got.audio()).as(why + " audio").containsExactlyElementsOf(in.audio());
                assertThat(got.video()).as(why + " video").containsExactlyElementsOf(in.video());
                assertThat(got.data()).as("player " + i + " metadata").hasSize(1);
            }
            assertThat(server.tc.counters().malformedMessages()).isZero();
        }
        finally
        {
            threads.shutdownNow();
        }
    }
}
