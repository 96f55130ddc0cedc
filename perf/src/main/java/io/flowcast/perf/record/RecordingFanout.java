package io.flowcast.perf.record;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.ChunkStreamDecoder;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.media.MediaStream;
import io.flowcast.engine.record.ServerRecording;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import io.flowcast.perf.media.RtmpFanout;
import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The issue 9 benchmark: our media server and RTMP listener on one agent thread in this JVM (as
 * {@code perf.media.RtmpFanout}), N RTMP publishers each sending an FLV file paced by its timestamps (all from one
 * thread, streams staggered over the first second), one RTMP player per stream (all read by one NIO thread),
 * with recording off or on ({@link ServerRecording}'s tap and replay provider added to the media server, the journal
 * in a fresh directory). Each audio/video frame carries the publisher's {@code System.nanoTime()} in its last 8 bytes
 * (decoder configurations are left intact), so the player side measures fan-out latency from the publisher's write
 * to the player's read. Reports CPU (server agent thread, recorder thread, the load generators' threads, process),
 * latency percentiles (HdrHistogram, from 3 s after the start) and losses, for each run of a sequence, side by side.
 * <pre>
 *   java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar io.flowcast.perf.record.RecordingFanout \
 *       off,on,off,on 100 ../shared/media/avc-aac-20s-1500k.flv [JOURNAL_PARENT_DIR]
 * </pre>
 */
public final class RecordingFanout
{
    static final int STAMP_BYTES = 8;
    static final long WARM_UP_NS = TimeUnit.SECONDS.toNanos(3);
    static final int OUT_BUFFER_BYTES = 512 * 1024;

    private RecordingFanout()
    {
    }

    /** One run's figures. */
    record Result(String mode, int streams, double wallS, double serverCpuS, double recorderCpuS,
        double generatorsCpuS, double processCpuS, Histogram latency, long expected, long received,
        long serverDropped, long recorded, long recorderDropped)
    {
    }

    /**
     * @param args modes (comma separated, each off or on), streams, FLV file, optional parent of the journals.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final String[] modes = args[0].split(",");
        final int streams = Integer.parseInt(args[1]);
        final byte[] file = Files.readAllBytes(Path.of(args[2]));
        final Path parent = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"));
        final List<Result> results = new ArrayList<>();
        for (final String mode : modes)
        {
            final Result result = run("on".equals(mode), streams, file, parent);
            results.add(result);
            System.out.println(line(result));
            System.gc();
        }
        System.out.println();
        System.out.printf("%-34s", "run");
        for (final Result r : results)
        {
            System.out.printf("%12s", r.mode());
        }
        System.out.println();
        row(results, "wall s", r -> r.wallS());
        row(results, "server agent thread CPU s", r -> r.serverCpuS());
        row(results, "recorder thread CPU s", r -> r.recorderCpuS());
        row(results, "publisher+player threads CPU s", r -> r.generatorsCpuS());
        row(results, "process CPU s", r -> r.processCpuS());
        row(results, "process - generators CPU s", r -> r.processCpuS() - r.generatorsCpuS());
        row(results, "latency p50 ms", r -> r.latency().getValueAtPercentile(50) / 1e6);
        row(results, "latency p90 ms", r -> r.latency().getValueAtPercentile(90) / 1e6);
        row(results, "latency p99 ms", r -> r.latency().getValueAtPercentile(99) / 1e6);
        row(results, "latency p99.9 ms", r -> r.latency().getValueAtPercentile(99.9) / 1e6);
        row(results, "latency max ms", r -> r.latency().getMaxValue() / 1e6);
        row(results, "latency samples", r -> r.latency().getTotalCount());
        row(results, "frames not received", r -> r.expected() - r.received());
        row(results, "server drops (stop events)", r -> r.serverDropped());
        row(results, "recorded messages", r -> r.recorded());
        row(results, "recorder drops (ring full)", r -> r.recorderDropped());
    }

    interface Figure
    {
        double of(Result r);
    }

    static void row(final List<Result> results, final String name, final Figure figure)
    {
        System.out.printf("%-34s", name);
        for (final Result r : results)
        {
            final double v = figure.of(r);
            System.out.printf(v == Math.rint(v) ? "%12.0f" : "%12.3f", v);
        }
        System.out.println();
    }

    static String line(final Result r)
    {
        final Histogram h = r.latency();
        return String.format("%s: %d streams, wall %.1f s; CPU s: server thread %.2f, recorder thread %.2f, " +
            "generators %.2f, process %.2f; latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f (%d samples); " +
            "frames received %d of %d, server drops %d, recorded %d, recorder drops %d",
            r.mode(), r.streams(), r.wallS(), r.serverCpuS(), r.recorderCpuS(), r.generatorsCpuS(), r.processCpuS(),
            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
            h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount(), r.received(), r.expected(),
            r.serverDropped(), r.recorded(), r.recorderDropped());
    }

    static Result run(final boolean record, final int streams, final byte[] file, final Path parent) throws Exception
    {
        final Tags tags = new Tags(file);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

        final AtomicLong serverDropped = new AtomicLong();
        final java.util.concurrent.CompletableFuture<Thread> agentThread = new java.util.concurrent.CompletableFuture<>();
        final ServerContext context = new ServerContext()
            .rtmpBind(new InetSocketAddress("127.0.0.1", 0))
            .idleStrategy(new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)))
            .maxMediaConnections(2 * streams + 16)
            .maxStreams(2 * streams + 16)
            .agent(RtmpFanout.onStart(agentThread))
            .mediaListener((event, protocol, id, peer, appName, stream, detail) ->
            {
                if (MediaEvent.STOP == event && null != detail && detail.startsWith("dropped="))
                {
                    serverDropped.addAndGet(Long.parseLong(detail.substring("dropped=".length())));
                }
            });
        context.rtmpContext().maxConnections(2 * streams + 16).outputBufferBytes(OUT_BUFFER_BYTES);
        Path journal = null;
        if (record)
        {
            journal = Files.createTempDirectory(parent, "flowcast-fanout");
            context.recorder(new RecorderSettings(true, journal, List.of(StreamPattern.of("*")),
                "HOURLY", Duration.ZERO, RecorderSettings.DEFAULT_RING_BYTES));
        }
        final FlowcastServer server = FlowcastServer.launch(context); // counters in memory: readable after close
        final MediaServer media = server.media();
        final ServerRecording recording = server.recording();
        final int port = server.rtmpAddresses().get(0).getPort();
        final Thread serverThread = agentThread.get(10, TimeUnit.SECONDS);
        final long recorderThread = record ? threadNamed("recorder") : -1;

        // players first, so that every one receives every frame from the first
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long[] startNs = {Long.MAX_VALUE};
        final Selector selector = Selector.open();
        final List<Player> players = new ArrayList<>();
        for (int s = 0; s < streams; s++)
        {
            final Player player = new Player(port, "s" + s, latency, startNs);
            player.channel.register(selector, SelectionKey.OP_READ, player);
            players.add(player);
        }
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
        final long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allJoined(media, streams))
        {
            read(selector, readBuffer, readView);
            if (System.nanoTime() - joinDeadline > 0)
            {
                throw new IllegalStateException("players did not all join");
            }
        }

        final Publishers publishers = new Publishers(port, streams, tags);
        final Thread publisherThread = new Thread(publishers, "publishers");
        final long serverCpu0 = threads.getThreadCpuTime(serverThread.getId());
        final long recorderCpu0 = record ? threads.getThreadCpuTime(recorderThread) : 0;
        final long playerCpu0 = threads.getCurrentThreadCpuTime();
        final long processCpu0 = os.getProcessCpuTime();
        final long wall0 = System.nanoTime();
        startNs[0] = wall0;
        publisherThread.start();
        while (publisherThread.isAlive())
        {
            read(selector, readBuffer, readView);
        }
        final long expected = (long)streams * tags.count;
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received(players) < expected && System.nanoTime() - drainDeadline < 0)
        {
            read(selector, readBuffer, readView);
        }
        final double wallS = (System.nanoTime() - wall0) / 1e9;
        final double serverCpuS = (threads.getThreadCpuTime(serverThread.getId()) - serverCpu0) / 1e9;
        final double recorderCpuS = record ? (threads.getThreadCpuTime(recorderThread) - recorderCpu0) / 1e9 : 0;
        final double generatorsCpuS = (threads.getCurrentThreadCpuTime() - playerCpu0 + publishers.cpuNs) / 1e9;
        final double processCpuS = (os.getProcessCpuTime() - processCpu0) / 1e9;

        for (final Player player : players)
        {
            player.channel.close();
        }
        final long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (media.connectionCount() > 0 && System.nanoTime() - stopDeadline < 0)
        {
            Thread.sleep(10);
        }
        server.close(); // the media thread, then the recorder: it drains its ring into the journal
        long recorded = 0;
        long recorderDropped = 0;
        if (null != recording)
        {
            recorded = recording.counters().recordedMessages().get();
            recorderDropped = recording.counters().droppedMessages().get();
            IoUtil.delete(journal.toFile(), true);
        }
        selector.close();
        return new Result(record ? "on" : "off", streams, wallS, serverCpuS, recorderCpuS, generatorsCpuS,
            processCpuS, latency, expected, received(players), serverDropped.get(), recorded, recorderDropped);
    }

    static boolean allJoined(final MediaServer media, final int streams)
    {
        for (int s = 0; s < streams; s++)
        {
            final MediaStream stream = media.stream("live", "s" + s);
            if (null == stream || stream.playerCount() < 1)
            {
                return false;
            }
        }
        return true;
    }

    static long received(final List<Player> players)
    {
        long sum = 0;
        for (final Player player : players)
        {
            sum += player.frames;
        }
        return sum;
    }

    static void read(final Selector selector, final ByteBuffer readBuffer, final UnsafeBuffer readView)
        throws IOException
    {
        selector.select(key ->
        {
            final Player player = (Player)key.attachment();
            try
            {
                readBuffer.clear();
                final int n = player.channel.read(readBuffer);
                if (n < 0)
                {
                    key.cancel();
                }
                else if (n > 0)
                {
                    player.decoder.onBytes(readView, 0, n);
                }
            }
            catch (final IOException ex)
            {
                key.cancel();
            }
        }, 1);
    }

    static long threadNamed(final String name)
    {
        for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
        {
            if (name.equals(info.getThreadName()))
            {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    /**
     * Whether a frame carries the send time in its last 8 bytes: audio and video frames of 24 bytes or more that are
     * not decoder configurations (AVC/AAC packet type 0 in the second byte), on both sides of the measure.
     */
    static boolean stamped(final int type, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        return (MessageType.AUDIO == type || MessageType.VIDEO == type) && length >= 24 &&
            0 != buffer.getByte(offset + 1);
    }

    /** The audio and video tags of the file, in order. */
    static final class Tags
    {
        final UnsafeBuffer file;
        final int[] offset;
        final int[] length;
        final int[] type;
        final int[] timestamp;
        final int count;

        Tags(final byte[] bytes)
        {
            file = new UnsafeBuffer(bytes);
            final FlvReader reader = new FlvReader().wrap(file, 0, bytes.length);
            reader.readHeader();
            final List<int[]> list = new ArrayList<>();
            while (reader.next() >= 0)
            {
                if (MessageType.AUDIO == reader.tagType() || MessageType.VIDEO == reader.tagType())
                {
                    list.add(new int[]{reader.dataOffset(), reader.dataSize(), reader.tagType(), reader.timestamp()});
                }
            }
            count = list.size();
            offset = new int[count];
            length = new int[count];
            type = new int[count];
            timestamp = new int[count];
            for (int i = 0; i < count; i++)
            {
                offset[i] = list.get(i)[0];
                length[i] = list.get(i)[1];
                type[i] = list.get(i)[2];
                timestamp[i] = list.get(i)[3];
            }
        }
    }

    /** All publishers on one thread: each stream sends the file paced by its timestamps, starts staggered. */
    static final class Publishers implements Runnable
    {
        final int port;
        final int streams;
        final Tags tags;
        volatile long cpuNs;

        Publishers(final int port, final int streams, final Tags tags)
        {
            this.port = port;
            this.streams = streams;
            this.tags = tags;
        }

        public void run()
        {
            final long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            final List<SocketChannel> channels = new ArrayList<>();
            try
            {
                final RtmpFanout.Writer[] writers = new RtmpFanout.Writer[streams];
                for (int s = 0; s < streams; s++)
                {
                    final SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    channels.add(channel);
                    RtmpFanout.handshake(channel);
                    writers[s] = new RtmpFanout.Writer(channel, OUT_BUFFER_BYTES);
                    writers[s].setChunkSize(4096);
                    writers[s].command(0, "connect", w -> w.objectBegin().key("app").string("live").objectEnd());
                    writers[s].command(0, "createStream", Amf0Writer::nul);
                    final String name = "s" + s;
                    writers[s].command(1, "publish", w -> w.nul().string(name).string("live"));
                }
                Thread.sleep(500);
                for (final SocketChannel channel : channels)
                {
                    channel.configureBlocking(false);
                }
                final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024 * 1024));
                final ByteBuffer discard = ByteBuffer.allocateDirect(64 * 1024);
                final int[] next = new int[streams];
                final long[] base = new long[streams];
                final long start = System.nanoTime();
                for (int s = 0; s < streams; s++)
                {
                    base[s] = start + TimeUnit.SECONDS.toNanos(1) * s / streams;
                }
                int done = 0;
                long lastDrain = start;
                while (done < streams)
                {
                    long earliest = Long.MAX_VALUE;
                    final long now = System.nanoTime();
                    for (int s = 0; s < streams; s++)
                    {
                        int i = next[s];
                        while (i < tags.count && base[s] + TimeUnit.MILLISECONDS.toNanos(tags.timestamp[i]) <= now)
                        {
                            final int length = tags.length[i];
                            frame.putBytes(0, tags.file, tags.offset[i], length);
                            if (stamped(tags.type[i], frame, 0, length))
                            {
                                frame.putLong(length - STAMP_BYTES, System.nanoTime(), ByteOrder.LITTLE_ENDIAN);
                            }
                            writers[s].message(1, tags.type[i], tags.timestamp[i], frame, 0, length);
                            i++;
                        }
                        if (i == tags.count && next[s] < tags.count)
                        {
                            writers[s].command(0, "deleteStream", w -> w.nul().number(1));
                            done++;
                        }
                        next[s] = i;
                        if (i < tags.count)
                        {
                            earliest = Math.min(earliest, base[s] + TimeUnit.MILLISECONDS.toNanos(tags.timestamp[i]));
                        }
                    }
                    if (now - lastDrain > TimeUnit.MILLISECONDS.toNanos(100))
                    {
                        lastDrain = now;
                        for (final SocketChannel channel : channels)
                        {
                            discard.clear();
                            channel.read(discard); // the server's few replies (acknowledgements, statuses)
                        }
                    }
                    final long wait = earliest - System.nanoTime();
                    if (done < streams && wait > 0)
                    {
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(1)));
                    }
                }
                Thread.sleep(200);
                cpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
                for (final SocketChannel channel : channels)
                {
                    channel.close();
                }
            }
            catch (final IOException | InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }

    /** One player: counts the frames it receives and records the latency of the stamped ones. */
    static final class Player
    {
        final SocketChannel channel;
        final ChunkStreamDecoder decoder;
        long frames;

        Player(final int port, final String name, final Histogram latency, final long[] startNs) throws IOException
        {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            RtmpFanout.handshake(channel);
            final RtmpFanout.Writer writer = new RtmpFanout.Writer(channel, 4096);
            writer.command(0, "connect", w -> w.objectBegin().key("app").string("live").objectEnd());
            writer.command(0, "createStream", Amf0Writer::nul);
            writer.command(1, "play", w -> w.nul().string(name));
            channel.configureBlocking(false);
            decoder = new ChunkStreamDecoder((csid, type, timestamp, streamId, buffer, offset, length) ->
            {
                if (MessageType.AUDIO == type || MessageType.VIDEO == type)
                {
                    frames++;
                    if (stamped(type, buffer, offset, length))
                    {
                        final long now = System.nanoTime();
                        final long sent = buffer.getLong(offset + length - STAMP_BYTES, ByteOrder.LITTLE_ENDIAN);
                        if (sent - startNs[0] > WARM_UP_NS)
                        {
                            latency.recordValue(Math.max(0, Math.min(now - sent, latency.getHighestTrackableValue())));
                        }
                    }
                }
            });
        }
    }
}
