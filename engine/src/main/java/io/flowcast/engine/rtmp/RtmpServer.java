package io.flowcast.engine.rtmp;

import io.flowcast.codec.rtmp.ChunkStreamDecoder;
import io.flowcast.codec.rtmp.Handshake;
import io.flowcast.codec.rtmp.HandshakeDigest;
import io.flowcast.engine.media.MediaServer;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The RTMP listener (rtmp-1.0.txt): an Agrona {@link Agent} that accepts TCP connections and drives them with
 * non-blocking NIO from one {@link Selector} ({@code selectNow} every duty cycle, no thread per connection), feeding
 * the {@link MediaServer} that owns apps and streams. It must run on the thread that runs the media server: its own
 * {@code AgentRunner}, or co-located with the RTMFP endpoint ({@code EndpointContext.colocatedAgent}).
 * <p>
 * Each duty cycle: accept and read what the selector reports (a bounded number of reads per connection), then write
 * every connection that has output queued (one write per connection per cycle; a socket that takes less waits for
 * OP_WRITE), then, every 100 ms, close connections that stalled (output pending and no write progress for
 * {@link Context#stallTimeoutNs}) or did not finish handshake and connect in {@link Context#handshakeTimeoutNs}.
 * The number of connections is bounded; extra ones are closed at once and counted.
 */
public final class RtmpServer implements Agent, AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(RtmpServer.class.getName());
    /** Output must hold S0+S1+S2 (3,073 bytes) and a 4,096-byte chunk with its headers. */
    static final int MIN_OUTPUT_BUFFER_BYTES = 16 * 1024;
    private static final long HOUSEKEEPING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Settings of the listener.
     */
    public static final class Context
    {
        private final List<InetSocketAddress> bindAddresses = new ArrayList<>();
        private int maxConnections = 1_000;
        private int inputBufferBytes = 64 * 1024;
        private int outputBufferBytes = 1024 * 1024;
        private int maxMessageLength = ChunkStreamDecoder.DEFAULT_MAX_MESSAGE_LENGTH;
        private int chunkSize = 4096;
        private long windowAckSize = 2_500_000;
        private long stallTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private long handshakeTimeoutNs = TimeUnit.SECONDS.toNanos(10);
        private int socketSendBufferBytes;
        private CountersManager countersManager;
        private String counterPrefix = "rtmp: ";
        private org.agrona.concurrent.NanoClock nanoClock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
        private org.agrona.concurrent.EpochClock epochClock = org.agrona.concurrent.SystemEpochClock.INSTANCE;

        /**
         * @param nanoClock the duty cycle's clock (timeouts, housekeeping); default {@code SystemNanoClock}.
         * @return this.
         */
        public Context nanoClock(final org.agrona.concurrent.NanoClock nanoClock)
        {
            this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * @param epochClock wall time for the handshake's time field; default {@code SystemEpochClock}.
         * @return this.
         */
        public Context epochClock(final org.agrona.concurrent.EpochClock epochClock)
        {
            this.epochClock = java.util.Objects.requireNonNull(epochClock, "epochClock");
            return this;
        }

        org.agrona.concurrent.EpochClock epochClock()
        {
            return epochClock;
        }

        /**
         * @param address a TCP address to listen on (port 0: ephemeral).
         * @return this.
         */
        public Context bind(final InetSocketAddress address)
        {
            bindAddresses.add(Objects.requireNonNull(address));
            return this;
        }

        /**
         * @param maxConnections most connections at once (default 1,000).
         * @return this.
         */
        public Context maxConnections(final int maxConnections)
        {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * @param bytes per-connection output bound (default 1 MiB): a player whose output is full loses the rest of
         *              the GOP.
         * @return this.
         */
        public Context outputBufferBytes(final int bytes)
        {
            this.outputBufferBytes = bytes;
            return this;
        }

        /**
         * @param bytes largest message accepted from a peer (default 8 MiB).
         * @return this.
         */
        public Context maxMessageLength(final int bytes)
        {
            this.maxMessageLength = bytes;
            return this;
        }

        /**
         * @param timeout how long a connection may have output pending without any write progress (default 10 s).
         * @param unit    its unit.
         * @return this.
         */
        public Context stallTimeout(final long timeout, final TimeUnit unit)
        {
            this.stallTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @param timeout how long a connection may take to finish the handshake and connect (default 10 s).
         * @param unit    its unit.
         * @return this.
         */
        public Context handshakeTimeout(final long timeout, final TimeUnit unit)
        {
            this.handshakeTimeoutNs = unit.toNanos(timeout);
            return this;
        }

        /**
         * @param bytes SO_SNDBUF of accepted sockets; 0 (the default) leaves the operating system's auto-tuning.
         * @return this.
         */
        public Context socketSendBufferBytes(final int bytes)
        {
            this.socketSendBufferBytes = bytes;
            return this;
        }

        /**
         * @param countersManager where counters go (null: a private one).
         * @return this.
         */
        public Context countersManager(final CountersManager countersManager)
        {
            this.countersManager = countersManager;
            return this;
        }

        int inputBufferBytes()
        {
            return inputBufferBytes;
        }

        int outputBufferBytes()
        {
            return outputBufferBytes;
        }

        int maxMessageLength()
        {
            return maxMessageLength;
        }

        int chunkSize()
        {
            return chunkSize;
        }

        long windowAckSize()
        {
            return windowAckSize;
        }
    }

    private final Context context;
    private final MediaServer media;
    private final Selector selector;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<InetSocketAddress> localAddresses = new ArrayList<>();
    private final List<RtmpConnection> connections = new ArrayList<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final RtmpCounters counters;
    private final HandshakeDigest handshakeDigest = new HandshakeDigest(); // one JCE Mac for every handshake
    private final byte[] handshakeRandom = new byte[2 * Handshake.PACKET_LENGTH];
    private RtmpConnection[] dirty = new RtmpConnection[64];
    private int dirtyCount;
    private long nowNs;
    private long nextHousekeepingNs;
    private boolean closed;

    /**
     * Bind the listening sockets now, so that a bad address fails here rather than on the agent thread.
     *
     * @param media   the media server (run on the same thread).
     * @param context the settings.
     * @throws IOException when a socket cannot be bound (e.g. port in use).
     */
    public RtmpServer(final MediaServer media, final Context context) throws IOException
    {
        this.media = Objects.requireNonNull(media);
        this.context = context;
        if (context.outputBufferBytes < MIN_OUTPUT_BUFFER_BYTES || context.maxConnections < 1 ||
            context.stallTimeoutNs <= 0 || context.handshakeTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("RTMP output buffer must be at least " + MIN_OUTPUT_BUFFER_BYTES +
                " bytes (it holds the handshake reply and a chunk), connections and timeouts positive");
        }
        final CountersManager manager = null != context.countersManager ? context.countersManager :
            new CountersManager(
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(32 * CountersManager.METADATA_LENGTH, 64)),
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(32 * CountersManager.COUNTER_LENGTH, 64)),
                StandardCharsets.US_ASCII);
        counters = new RtmpCounters(manager, context.counterPrefix);
        selector = Selector.open();
        try
        {
            for (final InetSocketAddress address : context.bindAddresses)
            {
                final ServerSocketChannel listener = ServerSocketChannel.open();
                listeners.add(listener);
                listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                try
                {
                    listener.bind(address, 128);
                }
                catch (final IOException ex)
                {
                    throw new IOException("cannot listen on TCP " + address + " (" + ex.getMessage() +
                        "): is another RTMP server running? Change rtmp.port or --rtmp HOST:PORT", ex);
                }
                listener.configureBlocking(false);
                listener.register(selector, SelectionKey.OP_ACCEPT, listener);
                localAddresses.add((InetSocketAddress)listener.getLocalAddress());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
        nowNs = context.nanoClock.nanoTime();
    }

    /**
     * @return the bound TCP addresses (with the actual port when 0 was asked for).
     */
    public List<InetSocketAddress> localAddresses()
    {
        return List.copyOf(localAddresses);
    }

    /**
     * @return connections open (any state).
     */
    public int connectionCount()
    {
        return connections.size();
    }

    /**
     * @return connections closed for a malformed chunk stream or handshake garbage.
     */
    public long protocolErrors()
    {
        return counters.closedProtocolError.get() + counters.closedHandshakeError.get();
    }

    /**
     * @return handshakes that used the digest ("complex") variant.
     */
    public long digestHandshakes()
    {
        return counters.digestHandshakes.get();
    }

    /**
     * @return connections closed because their socket stalled.
     */
    public long stalledConnections()
    {
        return counters.closedStalled.get();
    }

    /**
     * @return connections refused by the connection limit.
     */
    public long refusedConnections()
    {
        return counters.connectionsRefused.get();
    }

    HandshakeDigest handshakeDigest()
    {
        return handshakeDigest;
    }

    byte[] handshakeRandom()
    {
        return handshakeRandom;
    }

    long nowNs()
    {
        return nowNs;
    }

    RtmpCounters counters()
    {
        return counters;
    }

    Context context()
    {
        return context;
    }

    MediaServer media()
    {
        return media;
    }

    @Override
    public int doWork() throws IOException
    {
        if (closed)
        {
            return 0;
        }
        nowNs = context.nanoClock.nanoTime();
        int work = selector.selectNow(onSelected);
        work += flushDirty();
        if (nowNs - nextHousekeepingNs >= 0)
        {
            nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
            work += housekeeping();
        }
        return work;
    }

    private void onSelected(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (attachment instanceof ServerSocketChannel)
        {
            accept((ServerSocketChannel)attachment);
            return;
        }
        final RtmpConnection connection = (RtmpConnection)attachment;
        if (key.isWritable())
        {
            connection.flush();
        }
        if (key.isValid() && key.isReadable())
        {
            connection.onReadable();
        }
    }

    private void accept(final ServerSocketChannel listener)
    {
        for (int i = 0; i < 16; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final IOException ex)
            {
                LOG.log(Level.FINE, "accept failed", ex);
                return;
            }
            if (null == channel)
            {
                return;
            }
            if (connections.size() >= context.maxConnections)
            {
                counters.connectionsRefused.incrementRelease();
                CloseHelper.quietClose(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (context.socketSendBufferBytes > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, context.socketSendBufferBytes);
                }
                final RtmpConnection connection = new RtmpConnection(this, channel);
                connection.register(channel.register(selector, SelectionKey.OP_READ, connection));
                connections.add(connection);
                counters.connectionsAccepted.incrementRelease();
                counters.connectionsOpen.incrementRelease();
            }
            catch (final IOException ex)
            {
                LOG.log(Level.FINE, "could not set up an accepted connection", ex);
                CloseHelper.quietClose(channel);
            }
        }
    }

    void markDirty(final RtmpConnection connection)
    {
        if (dirtyCount == dirty.length)
        {
            dirty = java.util.Arrays.copyOf(dirty, dirty.length * 2); // grows with the connection count, then stays
        }
        dirty[dirtyCount++] = connection;
    }

    private int flushDirty()
    {
        final int count = dirtyCount;
        for (int i = 0; i < count; i++)
        {
            final RtmpConnection connection = dirty[i];
            dirty[i] = null;
            connection.onFlushScheduled();
        }
        // connections made dirty while flushing (a close reply) stay for the next cycle
        final int added = dirtyCount - count;
        if (added > 0)
        {
            System.arraycopy(dirty, count, dirty, 0, added);
            java.util.Arrays.fill(dirty, added, dirtyCount, null);
        }
        dirtyCount = added;
        return count;
    }

    private int housekeeping()
    {
        int work = 0;
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            if (connections.get(i).checkTimeouts(nowNs, context.stallTimeoutNs, context.handshakeTimeoutNs))
            {
                work++;
            }
        }
        return work;
    }

    void onClosed(final RtmpConnection connection)
    {
        connections.remove(connection);
        counters.connectionsOpen.decrementRelease();
    }

    @Override
    public void onClose()
    {
        close();
    }

    /**
     * Close every connection and listening socket. Call on the agent thread, or after it stopped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final RtmpConnection connection : new ArrayList<>(connections))
        {
            connection.close(RtmpConnection.CLOSE_SERVER, null);
        }
        for (final ServerSocketChannel listener : listeners)
        {
            CloseHelper.quietClose(listener);
        }
        CloseHelper.quietClose(selector);
        CloseHelper.quietClose(counters);
    }

    @Override
    public String roleName()
    {
        return "flowcast-rtmp";
    }
}
