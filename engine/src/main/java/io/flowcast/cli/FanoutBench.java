package io.flowcast.cli;

import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast bench fanout rtmfp://HOST:PORT/APP#STREAM --players N --flv FILE}: one publisher and N player
 * sessions in this process against any RFC 7425 server (ours, or the reference {@code tcserver}). Every player joins
 * and plays first; then the publisher sends the file paced by its timestamps. Reports how many players got every
 * audio and video message, and the latency of each message at each player, measured from the moment the publisher was
 * due to send it (its file timestamp after the start: a stall counts against every message it delays). With
 * {@code --server-pid} it also reads the server's CPU time and peak RSS from {@code /proc}, so the same generator
 * measures any server.
 * <p>
 * Players are spread over {@code --threads} generator threads; each player is its own endpoint (socket, identity and
 * session), as N separate clients would be. The publisher runs on the calling thread.
 */
@Command(name = "fanout", description = {
    "One publisher and N players against any RTMFP (RFC 7425) media server: per-player completeness and latency.",
    "Exit 0 when every player received every audio and video message of the file, 1 otherwise."})
final class FanoutBench implements Callable<Integer>
{
    /**
     * How long a generator thread parks when none of its endpoints had work: it must not take the cores from the
     * server it measures, and it bounds the latency's resolution (plus the timer slack, about 50 µs).
     */
    static final long IDLE_PARK_NS = 100_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "rtmfp://HOST[:PORT]/APP#STREAM")
    String uri;

    @Option(names = "--players", paramLabel = "N", description = "Player sessions (default ${DEFAULT-VALUE}).")
    int players = 10;

    @Option(names = "--flv", paramLabel = "FILE", required = true, description = "The FLV file to publish.")
    Path flvFile;

    @Option(names = "--threads", paramLabel = "T",
        description = "Generator threads the players are spread over (default ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--join-rate", paramLabel = "R",
        description = {"Player sessions started per second (default ${DEFAULT-VALUE}).",
            "Servers rate-limit handshakes per address: ours takes 200 packets/s (two per session), more are dropped",
            "and the player retries with back-off."})
    int joinRate = 50;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "Connect argument(s) for the server's auth, for every session (repeatable).")
    List<String> tokens = new ArrayList<>();

    @Option(names = "--hash-token", description = "Send the token hashed with the server's session nonce (tcserver's scheme).")
    boolean hashToken;

    @Option(names = "--join-timeout", paramLabel = "S",
        description = "Seconds for all players to join (default ${DEFAULT-VALUE}).")
    double joinTimeout = 120;

    @Option(names = "--drain", paramLabel = "S",
        description = "Seconds to wait after the last message for players to catch up (default ${DEFAULT-VALUE}).")
    double drain = 10;

    @Option(names = "--server-pid", paramLabel = "PID",
        description = "The server's process ID: report its CPU seconds and peak RSS (Linux /proc).")
    long serverPid = -1;

    @Option(names = "--out", paramLabel = "FILE",
        description = "HdrHistogram percentile file of all players' latency (default: none).")
    File out;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (players < 1 || threads < 1 || joinRate < 1)
        {
            throw new IllegalArgumentException("--players, --threads and --join-rate must be positive");
        }
        final byte[] bytes = Files.readAllBytes(flvFile);
        final UnsafeBuffer flv = new UnsafeBuffer(bytes);
        final FlvReader reader = new FlvReader().wrap(flv, 0, bytes.length);
        if (reader.readHeader() < 0)
        {
            throw new IllegalArgumentException(flvFile + " is not an FLV file");
        }
        int audio = 0;
        int video = 0;
        int first = -1;
        int last = 0;
        int type;
        while ((type = reader.next()) >= 0)
        {
            if (MessageType.AUDIO == type || MessageType.VIDEO == type)
            {
                audio += MessageType.AUDIO == type ? 1 : 0;
                video += MessageType.VIDEO == type ? 1 : 0;
                first = first < 0 ? reader.timestamp() : first;
                last = reader.timestamp();
            }
        }
        final int expected = audio + video;
        final MediaClient parsed = new MediaClient(uri, err) // validates the URI: app and stream
        {
            @Override
            public void onStatus(final int streamId, final String level, final String code, final String description)
            {
            }
        };
        final FanoutRun run = new FanoutRun(
            parsed.app, parsed.stream, parsed.tcUrl, tokens, hashToken, joinTimeout, threads, joinRate);
        run.firstTimestamp(Math.max(0, first));

        final List<FanoutPlayer> all = new ArrayList<>(players);
        final List<FanoutWorker> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++)
        {
            workers.add(new FanoutWorker(t, run));
        }
        for (int i = 0; i < players; i++)
        {
            final FanoutPlayer player = new FanoutPlayer(i, run);
            all.add(player);
            workers.get(i % threads).add(player);
        }
        final ProcessUsage usage = serverPid > 0 ? new ProcessUsage(serverPid) : null;
        final long cpu0 = ProcessUsage.currentProcessCpuNs();
        final long joinStart = System.nanoTime();
        final List<Thread> started = new ArrayList<>();
        for (final FanoutWorker worker : workers)
        {
            final Thread thread = new Thread(worker, "flowcast-fanout-" + worker.index());
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        PublishCommand.Publisher publisher = null;
        try
        {
            final long joinDeadline = joinStart + (long)(joinTimeout * 1e9);
            while (run.joined.get() + run.failed.get() < players && System.nanoTime() - joinDeadline < 0)
            {
                Thread.sleep(5);
            }
            final int joined = run.joined.get();
            final int failed = run.failed.get();
            final double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
            stdout.printf(Locale.ROOT, "players %d joined in %.1f s, %d failed%s%n", joined, joinSeconds,
                failed, joined + failed < players ? ", the rest timed out" : "");
            stdout.flush();
            if (0 == joined)
            {
                err.println("flowcast bench fanout: no player joined " + uri + "; " + firstFailure(all));
                err.flush();
                return 1;
            }
            final long serverCpuJoin = null == usage ? 0 : usage.cpuTicks();

            publisher = new PublishCommand.Publisher(uri, err);
            publisher.parkWhenIdle = true; // leave the cores to the server being measured
            publisher.open(10, tokens, hashToken, false);
            publisher.client.publish(publisher.stream);
            final PublishCommand.Publisher p = publisher;
            publisher.pumpUntil(() -> p.started || null != p.failure, System.nanoTime() + TimeUnit.SECONDS.toNanos(10),
                "no answer to publish");
            publisher.failIfFailed();

            final long[] serverTimesStart = null == usage ? new long[2] : usage.userSystemTicks();
            final long startNs = System.nanoTime();
            run.startPublishing(startNs);
            publish(publisher, flv, bytes.length, first, startNs);
            publisher.pumpUntil(() -> 0 == p.client.bytesQueued(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30),
                "the server did not acknowledge the publisher's messages within 30 s");
            final double mediaSeconds = (System.nanoTime() - startNs) / 1e9;
            final long drainDeadline = System.nanoTime() + (long)(drain * 1e9);
            while (!allComplete(all, expected) && System.nanoTime() - drainDeadline < 0)
            {
                publisher.idle();
            }
            final long[] serverTimesEnd = null == usage ? new long[2] : usage.userSystemTicks();
            final double wallSeconds = (System.nanoTime() - startNs) / 1e9;
            publisher.client.closeStream();
            final long endDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (run.ended.get() < run.joined.get() && System.nanoTime() - endDeadline < 0)
            {
                publisher.idle();
            }
            stop(run, started);
            final double generatorCpu = (ProcessUsage.currentProcessCpuNs() - cpu0) / 1e9;

            FanoutReport.players(stdout, all, flvFile, audio, video, (last - run.firstTimestamp()) / 1000.0,
                mediaSeconds, wallSeconds, out);
            if (null != usage)
            {
                FanoutReport.server(stdout, usage, serverCpuJoin, serverTimesStart, serverTimesEnd, players,
                    mediaSeconds, wallSeconds);
            }
            stdout.printf(Locale.ROOT, "generator: CPU %.1f s over %d threads (this process)%n", generatorCpu, threads);
            stdout.flush();
            err.flush();
            return allComplete(all, expected) && run.joined.get() == players ? 0 : 1;
        }
        catch (final IllegalStateException ex)
        {
            err.println("flowcast bench fanout: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            stop(run, started);
            if (null != publisher)
            {
                publisher.close();
            }
        }
    }

    /** Send the file's tags, each when its timestamp is due after {@code startNs}. */
    private static void publish(final PublishCommand.Publisher publisher, final UnsafeBuffer flv, final int length,
        final int first, final long startNs)
    {
        final FlvReader reader = new FlvReader().wrap(flv, 0, length);
        reader.readHeader();
        while (reader.next() >= 0)
        {
            final int timestamp = reader.timestamp();
            final long dueNs = startNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timestamp - first));
            while (System.nanoTime() - dueNs < 0)
            {
                publisher.idle();
            }
            publisher.sendTag(reader, flv, timestamp);
        }
    }

    /** Stop the generator threads: each closes its players' sessions (bounded wait) and endpoints. */
    private static void stop(final FanoutRun run, final List<Thread> started) throws InterruptedException
    {
        run.stop();
        for (final Thread thread : started)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private static boolean allComplete(final List<FanoutPlayer> all, final int expected)
    {
        for (int i = 0, n = all.size(); i < n; i++)
        {
            final FanoutPlayer player = all.get(i);
            if (null == player.failure() && player.received() < expected)
            {
                return false;
            }
        }
        return true;
    }

    private static String firstFailure(final List<FanoutPlayer> all)
    {
        for (final FanoutPlayer player : all)
        {
            if (null != player.failure())
            {
                return player.failure();
            }
        }
        return "no answer";
    }
}
