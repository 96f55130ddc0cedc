package io.flowcast.cli;

import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.media.AuthTokens;
import io.flowcast.engine.tc.TcClient;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** How long the players wait for the server to acknowledge their sessions' close. */
    static final long CLOSE_WAIT_NS = 2_000_000_000L;

    /** How often every player endpoint runs, for its timers (acknowledgement delay, retransmission, keepalive). */
    static final long TIMER_INTERVAL_NS = 10_000_000;

    /** Clock ticks per second of /proc/PID/stat utime and stime (USER_HZ, 100 on Linux). */
    static final long USER_HZ = 100;

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

    private String app;
    private String stream;
    private String tcUrl;
    private volatile long publishStartNs;
    private volatile int firstTimestamp;
    private volatile boolean publishing;
    private volatile boolean stop;
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();

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
        firstTimestamp = Math.max(0, first);
        final MediaClient parsed = new MediaClient(uri, err) // validates the URI: app and stream
        {
            @Override
            public void onStatus(final int streamId, final String level, final String code, final String description)
            {
            }
        };
        app = parsed.app;
        stream = parsed.stream;
        tcUrl = parsed.tcUrl;

        final List<Player> all = new ArrayList<>(players);
        final List<Worker> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++)
        {
            workers.add(new Worker(t));
        }
        for (int i = 0; i < players; i++)
        {
            final Player player = new Player(i);
            all.add(player);
            workers.get(i % threads).players.add(player);
        }
        final ServerUsage usage = serverPid > 0 ? new ServerUsage(serverPid) : null;
        final long cpu0 = processCpuNs();
        final long joinStart = System.nanoTime();
        final List<Thread> started = new ArrayList<>();
        for (final Worker worker : workers)
        {
            final Thread thread = new Thread(worker, "flowcast-fanout-" + worker.index);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        PublishCommand.Publisher publisher = null;
        try
        {
            final long joinDeadline = joinStart + (long)(joinTimeout * 1e9);
            while (joined.get() + failed.get() < players && System.nanoTime() - joinDeadline < 0)
            {
                Thread.sleep(5);
            }
            final double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
            stdout.printf(Locale.ROOT, "players %d joined in %.1f s, %d failed%s%n", joined.get(), joinSeconds,
                failed.get(), joined.get() + failed.get() < players ? ", the rest timed out" : "");
            stdout.flush();
            if (0 == joined.get())
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
            final long serverCpuStart = serverTimesStart[0] + serverTimesStart[1];
            final long startNs = System.nanoTime();
            publishStartNs = startNs;
            publishing = true;
            publish(publisher, flv, bytes.length, first);
            publisher.pumpUntil(() -> 0 == p.client.bytesQueued(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30),
                "the server did not acknowledge the publisher's messages within 30 s");
            final double mediaSeconds = (System.nanoTime() - startNs) / 1e9;
            final long drainDeadline = System.nanoTime() + (long)(drain * 1e9);
            while (!allComplete(all, expected) && System.nanoTime() - drainDeadline < 0)
            {
                publisher.idle();
            }
            final long[] serverTimesEnd = null == usage ? new long[2] : usage.userSystemTicks();
            final long serverCpuEnd = serverTimesEnd[0] + serverTimesEnd[1];
            final double wallSeconds = (System.nanoTime() - startNs) / 1e9;
            publisher.client.closeStream();
            final long endDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (ended.get() < joined.get() && System.nanoTime() - endDeadline < 0)
            {
                publisher.idle();
            }
            stop = true;
            for (final Thread thread : started)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            final double generatorCpu = (processCpuNs() - cpu0) / 1e9;

            report(stdout, all, audio, video, expected, (last - firstTimestamp) / 1000.0, mediaSeconds, wallSeconds);
            if (null != usage)
            {
                final double publishCpu = (serverCpuEnd - serverCpuStart) / (double)USER_HZ;
                final double joinCpu = (serverCpuJoin - usage.startTicks) / (double)USER_HZ;
                stdout.printf(Locale.ROOT, "server pid %d: CPU %.2f s while publishing (user %.2f s, system %.2f s; " +
                    "%.0f %% of one core over %.1f s) = %.2f ms per player per media second; %.2f s for the joins; " +
                    "peak RSS %.1f MB%n",
                    serverPid, publishCpu, (serverTimesEnd[0] - serverTimesStart[0]) / (double)USER_HZ,
                    (serverTimesEnd[1] - serverTimesStart[1]) / (double)USER_HZ, 100 * publishCpu / wallSeconds,
                    wallSeconds, 1000 * publishCpu / players / mediaSeconds, joinCpu, usage.peakRssKb() / 1024.0);
            }
            stdout.printf(Locale.ROOT, "generator: CPU %.1f s over %d threads (this process)%n", generatorCpu, threads);
            stdout.flush();
            err.flush();
            return allComplete(all, expected) && joined.get() == players ? 0 : 1;
        }
        catch (final IllegalStateException ex)
        {
            err.println("flowcast bench fanout: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            stop = true;
            for (final Thread thread : started)
            {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (null != publisher)
            {
                publisher.close();
            }
        }
    }

    private void publish(final PublishCommand.Publisher publisher, final UnsafeBuffer flv, final int length,
        final int first)
    {
        final FlvReader reader = new FlvReader().wrap(flv, 0, length);
        reader.readHeader();
        while (reader.next() >= 0)
        {
            final int timestamp = reader.timestamp();
            final long dueNs = publishStartNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timestamp - first));
            while (System.nanoTime() - dueNs < 0)
            {
                publisher.idle();
            }
            publisher.sendTag(reader, flv, timestamp);
        }
    }

    private void report(final PrintWriter stdout, final List<Player> all, final int audio, final int video,
        final int expected, final double fileSeconds, final double mediaSeconds, final double wallSeconds)
        throws IOException
    {
        final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 2);
        final long[] p50 = new long[all.size()];
        final long[] p99 = new long[all.size()];
        final long[] max = new long[all.size()];
        int complete = 0;
        long least = Long.MAX_VALUE;
        int n = 0;
        final StringBuilder incomplete = new StringBuilder();
        for (final Player player : all)
        {
            final long got = player.audio + player.video;
            least = Math.min(least, got);
            if (got >= expected)
            {
                complete++;
            }
            else if (incomplete.length() < 400)
            {
                incomplete.append(incomplete.length() > 0 ? ", " : "").append('#').append(player.index).append(' ')
                    .append(null != player.failure ? player.failure : got + "/" + expected);
            }
            if (player.latency.getTotalCount() > 0)
            {
                total.add(player.latency);
                p50[n] = player.latency.getValueAtPercentile(50);
                p99[n] = player.latency.getValueAtPercentile(99);
                max[n] = player.latency.getMaxValue();
                n++;
            }
        }
        stdout.printf(Locale.ROOT, "file %s: %d audio + %d video messages, %.1f s; published in %.1f s, measured " +
            "over %.1f s%n", flvFile, audio, video, fileSeconds, mediaSeconds, wallSeconds);
        stdout.printf(Locale.ROOT, "complete %d of %d players (least received %d of %d)%s%n", complete, all.size(),
            least, expected, incomplete.length() > 0 ? "; incomplete: " + incomplete : "");
        stdout.printf(Locale.ROOT, "latency µs, all players: p50 %d p90 %d p99 %d p99.9 %d max %d (%d messages)%n",
            total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
            total.getValueAtPercentile(99.9), total.getMaxValue(), total.getTotalCount());
        if (n > 0)
        {
            Arrays.sort(p50, 0, n);
            Arrays.sort(p99, 0, n);
            Arrays.sort(max, 0, n);
            stdout.printf(Locale.ROOT, "per player µs: p50 best %d median %d worst %d; p99 best %d median %d " +
                "worst %d; max best %d median %d worst %d%n", p50[0], p50[n / 2], p50[n - 1], p99[0], p99[n / 2],
                p99[n - 1], max[0], max[n / 2], max[n - 1]);
        }
        if (null != out)
        {
            try (PrintStream hgrm = new PrintStream(new FileOutputStream(out), false, StandardCharsets.UTF_8))
            {
                total.outputPercentileDistribution(hgrm, 1.0);
            }
        }
    }

    private static boolean allClosed(final List<Player> players)
    {
        for (final Player player : players)
        {
            if (!player.closed())
            {
                return false;
            }
        }
        return true;
    }

    private static boolean allComplete(final List<Player> all, final int expected)
    {
        for (int i = 0, n = all.size(); i < n; i++)
        {
            final Player player = all.get(i);
            if (null == player.failure && player.received < expected)
            {
                return false;
            }
        }
        return true;
    }

    private static String firstFailure(final List<Player> all)
    {
        for (final Player player : all)
        {
            if (null != player.failure)
            {
                return player.failure;
            }
        }
        return "no answer";
    }

    private static long processCpuNs()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    /**
     * One generator thread: opens its players' sessions at the join rate, then drives their endpoints. It waits on
     * all their sockets with one selector and runs only the ready endpoints, plus every endpoint each
     * {@link #TIMER_INTERVAL_NS} for its timers: polling hundreds of idle sockets in a loop would take the cores
     * from the server being measured.
     */
    private final class Worker implements Runnable
    {
        final int index;
        final List<Player> players = new ArrayList<>();

        Worker(final int index)
        {
            this.index = index;
        }

        @Override
        public void run()
        {
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) * threads / joinRate;
            long nextStartNs = System.nanoTime() + index * (TimeUnit.SECONDS.toNanos(1) / joinRate);
            long nextTimersNs = System.nanoTime();
            int starting = 0;
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open())
            {
                final java.util.function.Consumer<java.nio.channels.SelectionKey> ready =
                    key -> ((Player)key.attachment()).step(System.nanoTime());
                int work = 0;
                while (!stop)
                {
                    long now = System.nanoTime();
                    if (starting < players.size() && now - nextStartNs >= 0)
                    {
                        final Player player = players.get(starting++);
                        player.start();
                        player.selectable = null != player.rtmfp && player.rtmfp.endpoint.registerReadable(selector,
                            player);
                        nextStartNs += intervalNs;
                    }
                    work = 0 == work ? selector.select(ready, 1) : selector.selectNow(ready);
                    now = System.nanoTime();
                    if (now - nextTimersNs >= 0)
                    {
                        nextTimersNs = now + TIMER_INTERVAL_NS;
                        for (int i = 0; i < starting; i++)
                        {
                            work += players.get(i).step(now);
                        }
                    }
                    else
                    {
                        for (int i = 0; i < starting; i++)
                        {
                            final Player player = players.get(i);
                            if (!player.selectable || player.busy)
                            {
                                work += player.step(now); // a test transport, or output still to flush
                            }
                        }
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
            finally
            {
                // close the sessions in order, so the server frees them now rather than at its idle timeout
                for (final Player player : players)
                {
                    player.closeSession();
                }
                final long deadline = System.nanoTime() + CLOSE_WAIT_NS;
                while (System.nanoTime() - deadline < 0 && !allClosed(players))
                {
                    for (int i = 0; i < starting; i++)
                    {
                        players.get(i).step(System.nanoTime());
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(IDLE_PARK_NS);
                }
                for (final Player player : players)
                {
                    player.close();
                }
            }
        }
    }

    private enum State
    {
        NEW, OPENING, CONNECTING, CREATING, PLAY_REQUESTED, PLAYING, ENDED, FAILED
    }

    /** One player: its own endpoint and session, a NetConnection and a NetStream playing the stream. */
    private final class Player implements TcClient.Listener
    {
        final int index;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 2);
        RtmfpClient rtmfp;
        TcClient client;
        State state = State.NEW;
        /** Its sockets are registered with the worker's selector. */
        boolean selectable;
        /** The last duty cycle did work: run it again without waiting for a datagram. */
        boolean busy;
        String failure;
        long audio;
        long video;
        long data;
        /** Audio and video messages; read by the publishing thread to end early. */
        volatile long received;
        long openDeadlineNs;

        Player(final int index)
        {
            this.index = index;
        }

        void start()
        {
            try
            {
                rtmfp = RtmfpClient.start(tcUrl, joinTimeout, null);
                openDeadlineNs = System.nanoTime() + (long)(joinTimeout * 1e9);
                state = State.OPENING;
            }
            catch (final IOException | RuntimeException ex)
            {
                fail("could not start: " + ex);
            }
        }

        int step(final long now)
        {
            if (null == rtmfp || State.FAILED == state)
            {
                return 0;
            }
            final int work = rtmfp.endpoint.doWork();
            busy = work > 0;
            if (null != client)
            {
                client.poll(now);
            }
            switch (state)
            {
                case OPENING:
                    if (null != rtmfp.session)
                    {
                        client = new TcClient(rtmfp.session, this);
                        rtmfp.session.flowListener(client);
                        final String[] args = tokens.toArray(new String[0]);
                        if (hashToken && args.length > 0)
                        {
                            args[args.length - 1] = AuthTokens.hashWithNonce(rtmfp.session.farNonce(),
                                args[args.length - 1]);
                        }
                        state = State.CONNECTING;
                        if (!client.connect(tcUrl, app, args))
                        {
                            fail("could not open the NetConnection flow");
                        }
                    }
                    else if (null != rtmfp.failed || now - openDeadlineNs > 0)
                    {
                        fail("session did not open (" + (null == rtmfp.failed ? "timeout" : rtmfp.failed) + ")");
                    }
                    break;

                case CONNECTING:
                case CREATING:
                case PLAY_REQUESTED:
                    if (now - openDeadlineNs > 0)
                    {
                        fail("no answer in " + state);
                    }
                    break;

                default:
                    break;
            }
            if (null != rtmfp.closed && State.FAILED != state && State.ENDED != state && !stop)
            {
                fail("session closed (" + rtmfp.closed + ")");
            }
            return work;
        }

        void fail(final String why)
        {
            if (State.FAILED == state)
            {
                return;
            }
            final boolean wasJoining = State.PLAYING != state && State.ENDED != state;
            failure = why;
            state = State.FAILED;
            if (wasJoining)
            {
                failed.incrementAndGet();
            }
        }

        void closeSession()
        {
            if (null != rtmfp && null != rtmfp.session && null == rtmfp.closed)
            {
                rtmfp.endpoint.close(rtmfp.session);
            }
        }

        boolean closed()
        {
            return null == rtmfp || null == rtmfp.session || null != rtmfp.closed;
        }

        void close()
        {
            if (null != rtmfp)
            {
                try
                {
                    rtmfp.endpoint.close();
                }
                catch (final RuntimeException ex)
                {
                    // closing at exit: nothing to do about it
                }
            }
        }

        @Override
        public void onConnect(final boolean success, final String code, final String description)
        {
            if (success && State.CONNECTING == state)
            {
                state = State.CREATING;
                client.createStream();
            }
            else if (!success)
            {
                fail("connect refused: " + code + " (" + description + ")");
            }
        }

        @Override
        public void onStreamCreated(final int streamId)
        {
            if (streamId > 0 && State.CREATING == state)
            {
                state = State.PLAY_REQUESTED;
                client.play(stream);
            }
            else if (streamId <= 0)
            {
                fail("createStream refused");
            }
        }

        @Override
        public void onStatus(final int streamId, final String level, final String code, final String description)
        {
            if ("NetStream.Play.Start".equals(code) && State.PLAY_REQUESTED == state)
            {
                state = State.PLAYING;
                joined.incrementAndGet();
            }
            else if ("NetStream.Play.UnpublishNotify".equals(code) && publishing && State.PLAYING == state)
            {
                state = State.ENDED;
                ended.incrementAndGet();
            }
            else if ("error".equals(level) && State.PLAY_REQUESTED == state)
            {
                fail("play refused: " + code + " (" + description + ")");
            }
        }

        @Override
        public void onMedia(final int streamId, final int type, final int timestamp, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (MessageType.AUDIO == type || MessageType.VIDEO == type)
            {
                if (MessageType.AUDIO == type)
                {
                    audio++;
                }
                else
                {
                    video++;
                }
                received = received + 1; // one writer
                final long startNs = publishStartNs;
                if (0 != startNs)
                {
                    final long dueNs = startNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timestamp - firstTimestamp));
                    final long micros = (System.nanoTime() - dueNs) / 1000;
                    latency.recordValue(Math.max(1, Math.min(micros, latency.getHighestTrackableValue())));
                }
            }
            else
            {
                data++;
            }
        }
    }

    /** A server process's CPU time and peak RSS, from /proc (Linux). */
    static final class ServerUsage
    {
        final long pid;
        final long startTicks;

        ServerUsage(final long pid) throws IOException
        {
            this.pid = pid;
            if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "stat")))
            {
                throw new IllegalArgumentException("--server-pid " + pid + ": no such process (or not Linux)");
            }
            startTicks = cpuTicks();
        }

        /** utime + stime of the process (all its threads), in clock ticks. */
        long cpuTicks() throws IOException
        {
            final long[] times = userSystemTicks();
            return times[0] + times[1];
        }

        /** utime and stime of the process (all its threads), in clock ticks: user code vs the kernel (syscalls). */
        long[] userSystemTicks() throws IOException
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name is in parentheses and may hold spaces: fields count from after its ')'
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])}; // fields 14, 15 of proc(5)
        }

        /** VmHWM: the process's peak resident set, in KiB. */
        long peakRssKb() throws IOException
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }
    }
}
