package io.flowcast.perf.media;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.ChunkStreamDecoder;
import io.flowcast.codec.rtmp.ChunkStreamEncoder;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.ProtocolControl;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * RTMP fan-out load: our server ({@link FlowcastServer}, RTMP only: media server and RTMP listener on its agent thread)
 * in this JVM; one RTMP publisher of an FLV file paced by its timestamps, and N RTMP players, all joined before the
 * publisher starts, read by one NIO thread. Reports per-player completeness (every audio and video message of the file received) and the server
 * thread's CPU time, hence players per core.
 * <pre>
 *   java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar io.flowcast.perf.media.RtmpFanout \
 *       PLAYERS ../shared/media/avc-aac-20s-1500k.flv
 * </pre>
 */
public final class RtmpFanout
{
    private RtmpFanout()
    {
    }

    /**
     * @param thread completed with the server's agent thread when it starts.
     * @return an agent that does only that, to add to the server's context.
     */
    public static org.agrona.concurrent.Agent onStart(final java.util.concurrent.CompletableFuture<Thread> thread)
    {
        return new org.agrona.concurrent.Agent()
        {
            public void onStart()
            {
                thread.complete(Thread.currentThread());
            }

            public int doWork()
            {
                return 0;
            }

            public String roleName()
            {
                return "thread-probe";
            }
        };
    }

    /**
     * @param args players, FLV file.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int players = Integer.parseInt(args[0]);
        final Path flv = Path.of(args[1]);
        final byte[] file = Files.readAllBytes(flv);
        int expected = 0;
        final FlvReader counter = new FlvReader().wrap(new UnsafeBuffer(file), 0, file.length);
        counter.readHeader();
        while (counter.next() >= 0)
        {
            if (MessageType.AUDIO == counter.tagType() || MessageType.VIDEO == counter.tagType())
            {
                expected++;
            }
        }

        final java.util.concurrent.CompletableFuture<Thread> agentThread = new java.util.concurrent.CompletableFuture<>();
        final ServerContext context = new ServerContext()
            .rtmpBind(new InetSocketAddress("127.0.0.1", 0))
            .idleStrategy(new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)))
            .agent(onStart(agentThread));
        context.rtmpContext().maxConnections(players + 16).outputBufferBytes(512 * 1024);
        final FlowcastServer server = FlowcastServer.launch(context);
        final MediaServer media = server.media();
        final int port = server.rtmpAddresses().get(0).getPort();
        final Thread serverThread = agentThread.get(10, TimeUnit.SECONDS);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        final Selector selector = Selector.open();
        final List<Player> list = new ArrayList<>();
        for (int i = 0; i < players; i++)
        {
            final Player player = new Player(port);
            player.channel.register(selector, SelectionKey.OP_READ, player);
            list.add(player);
        }
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        final UnsafeBuffer readView = new UnsafeBuffer(readBuffer);
        final Runnable poll = () ->
        {
            try
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
                            player.closed = true;
                        }
                        else if (n > 0)
                        {
                            player.decoder.onBytes(readView, 0, n);
                        }
                    }
                    catch (final IOException ex)
                    {
                        key.cancel();
                        player.closed = true;
                    }
                }, 10);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        };
        final long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (media.stream("live", "s") == null || media.stream("live", "s").playerCount() < players)
        {
            poll.run();
            if (System.nanoTime() - joinDeadline > 0)
            {
                throw new IllegalStateException("players did not all join");
            }
        }
        System.out.println("players joined: " + players);

        final Thread publisher = new Thread(() -> publish(port, file), "publisher");
        final com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean)threads;
        final long allocatedBefore = allocation.getThreadAllocatedBytes(serverThread.getId());
        final long cpuBefore = threads.getThreadCpuTime(serverThread.getId());
        final long startNs = System.nanoTime();
        publisher.start();
        long steadyFrom = 0;
        final long steadyAfterNs = startNs + TimeUnit.SECONDS.toNanos(5);
        while (publisher.isAlive())
        {
            poll.run();
            if (0 == steadyFrom && System.nanoTime() - steadyAfterNs > 0)
            {
                steadyFrom = allocation.getThreadAllocatedBytes(serverThread.getId());
            }
        }
        final long steadyAllocated = allocation.getThreadAllocatedBytes(serverThread.getId()) - steadyFrom;
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - drainDeadline < 0 && !allDone(list, expected))
        {
            poll.run();
        }
        final long wallNs = System.nanoTime() - startNs;
        final long cpuNs = threads.getThreadCpuTime(serverThread.getId()) - cpuBefore;
        final long allocated = allocation.getThreadAllocatedBytes(serverThread.getId()) - allocatedBefore;
        int complete = 0;
        long least = Long.MAX_VALUE;
        for (final Player player : list)
        {
            complete += player.media >= expected ? 1 : 0;
            least = Math.min(least, player.media);
        }
        final double cpuSeconds = cpuNs / 1e9;
        final double wallSeconds = wallNs / 1e9;
        System.out.printf("file %s: %d audio+video messages; players %d, complete %d (least received %d)%n",
            flv.getFileName(), expected, players, complete, least);
        System.out.printf("wall %.1f s, server thread CPU %.2f s (%.1f %% of one core) -> %.0f players per core%n",
            wallSeconds, cpuSeconds, 100 * cpuSeconds / wallSeconds, players / (cpuSeconds / wallSeconds));
        System.out.printf("server thread allocated %,d bytes in all (connections, publish command), %,d bytes from " +
            "5 s after the start to the end of publishing%n", allocated, steadyAllocated);
        for (final Player player : list)
        {
            player.channel.close();
        }
        server.close();
    }

    private static boolean allDone(final List<Player> players, final int expected)
    {
        for (final Player player : players)
        {
            if (player.media < expected)
            {
                return false;
            }
        }
        return true;
    }

    private static void publish(final int port, final byte[] file)
    {
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port)))
        {
            handshake(channel);
            final Writer writer = new Writer(channel, 4 * 1024 * 1024);
            writer.setChunkSize(4096);
            writer.command(0, "connect", w -> w.objectBegin().key("app").string("live").objectEnd());
            writer.command(0, "createStream", Amf0Writer::nul);
            writer.command(1, "publish", w -> w.nul().string("s").string("live"));
            Thread.sleep(200);
            final FlvReader reader = new FlvReader().wrap(new UnsafeBuffer(file), 0, file.length);
            reader.readHeader();
            final long start = System.nanoTime();
            final ByteBuffer discard = ByteBuffer.allocate(65536);
            channel.configureBlocking(false);
            while (reader.next() >= 0)
            {
                final long due = start + TimeUnit.MILLISECONDS.toNanos(reader.timestamp());
                long wait;
                while ((wait = due - System.nanoTime()) > 0)
                {
                    discard.clear();
                    channel.read(discard); // the server's few replies
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(2)));
                }
                writer.message(1, reader.tagType(), reader.timestamp(), reader.buffer(), reader.dataOffset(),
                    reader.dataSize());
            }
            writer.command(0, "deleteStream", w -> w.nul().number(1));
            Thread.sleep(200);
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The plain RTMP handshake, client side, on a blocking channel.
     *
     * @param channel connected.
     * @throws IOException if the server closes or the socket fails.
     */
    public static void handshake(final SocketChannel channel) throws IOException
    {
        final ByteBuffer c0c1 = ByteBuffer.allocate(1537);
        c0c1.put(0, (byte)3);
        while (c0c1.hasRemaining())
        {
            channel.write(c0c1);
        }
        final ByteBuffer s0s1s2 = ByteBuffer.allocate(3073);
        while (s0s1s2.hasRemaining())
        {
            if (channel.read(s0s1s2) < 0)
            {
                throw new IOException("closed during handshake");
            }
        }
        final ByteBuffer c2 = ByteBuffer.allocate(1536);
        c2.put(s0s1s2.array(), 1, 1536).flip();
        while (c2.hasRemaining())
        {
            channel.write(c2);
        }
    }

    /** Writes RTMP messages on a blocking or non-blocking socket (spinning until written). */
    public static final class Writer
    {
        final SocketChannel channel;
        final ChunkStreamEncoder encoder = new ChunkStreamEncoder(8);
        final ExpandableArrayBuffer amf = new ExpandableArrayBuffer(1024);
        final ByteBuffer out;
        final UnsafeBuffer outView;
        double txn = 1;

        public Writer(final SocketChannel channel, final int capacity)
        {
            this.channel = channel;
            out = ByteBuffer.allocateDirect(capacity);
            outView = new UnsafeBuffer(out);
        }

        public void setChunkSize(final int size) throws IOException
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
            ProtocolControl.encodeU32(payload, 0, size);
            write(2, MessageType.SET_CHUNK_SIZE, 0, 0, payload, 0, 4);
            encoder.chunkSize(size);
        }

        public void command(final int streamId, final String name, final java.util.function.Consumer<Amf0Writer> args)
            throws IOException
        {
            final Amf0Writer w = new Amf0Writer().wrap(amf, 0, 1024).string(name).number(txn++);
            args.accept(w);
            write(3, MessageType.COMMAND_AMF0, 0, streamId, amf, 0, w.position());
        }

        public void message(final int streamId, final int type, final int timestamp, final org.agrona.DirectBuffer src,
            final int offset, final int length) throws IOException
        {
            final int csid = MessageType.AUDIO == type ? 4 : MessageType.VIDEO == type ? 6 : 5;
            write(csid, type, timestamp, streamId, src, offset, length);
        }

        private void write(final int csid, final int type, final int timestamp, final int streamId,
            final org.agrona.DirectBuffer src, final int offset, final int length) throws IOException
        {
            final int n = encoder.encode(outView, 0, out.capacity(), csid, type, timestamp, streamId, src, offset,
                length);
            out.limit(n).position(0);
            while (out.hasRemaining())
            {
                channel.write(out);
            }
        }
    }

    /** One player connection: counts the audio and video messages it receives. */
    static final class Player
    {
        final SocketChannel channel;
        final ChunkStreamDecoder decoder;
        long media;
        boolean closed;

        Player(final int port) throws IOException
        {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            handshake(channel);
            final Writer writer = new Writer(channel, 4096);
            writer.command(0, "connect", w -> w.objectBegin().key("app").string("live").objectEnd());
            writer.command(0, "createStream", Amf0Writer::nul);
            writer.command(1, "play", w -> w.nul().string("s"));
            channel.configureBlocking(false);
            decoder = new ChunkStreamDecoder((csid, type, timestamp, streamId, buffer, offset, length) ->
            {
                if (MessageType.AUDIO == type || MessageType.VIDEO == type)
                {
                    media++;
                }
            });
        }
    }
}
