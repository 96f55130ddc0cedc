package io.flowcast.engine.transport;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Non-blocking UDP sockets, one per bound address, polled by one agent thread. Receive and send go through two
 * direct buffers allocated once; the JDK reuses the sender's {@link InetSocketAddress} while consecutive datagrams
 * come from the same sender, so the steady state of a busy session allocates nothing.
 * <p>
 * Binding both wildcards ({@code 0.0.0.0} and {@code ::}) on one port opens a single dual-stack IPv6 socket, as
 * Linux will not bind both; where IPv6 is not available it falls back to IPv4 only.
 */
public final class UdpTransport implements DatagramTransport
{
    /** Largest UDP payload over IPv4; the receive buffer holds it whole, so nothing is silently truncated. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    private static final Logger LOG = Logger.getLogger(UdpTransport.class.getName());

    /** Set to true to receive with {@link DatagramChannel#receive} only (one source address object per datagram). */
    public static final String PLAIN_RECEIVE_PROPERTY = "flowcast.transport.plainReceive";

    private final DatagramChannel[] channels;
    private final FileDescriptor[] descriptors;
    private final SourceAddressReceiver sourceReceiver = new SourceAddressReceiver();
    private java.nio.channels.Selector selector;
    private boolean selectorFailed;
    private final java.util.function.Consumer<java.nio.channels.SelectionKey> ignoreKey = (key) -> { };
    private final InetSocketAddress[] localAddresses;
    private final boolean[] ipv6Capable;
    private final boolean[] ipv4Capable;
    private final ByteBuffer receiveByteBuffer;
    private final UnsafeBuffer receiveBuffer;
    private final ByteBuffer sendByteBuffer;
    private final UnsafeBuffer sendBuffer;
    private final int maxDatagramLength;
    private final TransportCounters counters = new TransportCounters();
    private int nextChannel;
    private ByteBuffer lastSendSource;
    private ByteBuffer lastSendView;
    private boolean loggedSendError;
    private boolean loggedReceiveError;

    /**
     * Open and bind the sockets.
     *
     * @param bindAddresses     local addresses to bind; port 0 picks a free port.
     * @param maxDatagramLength larger datagrams are dropped and counted (RTMFP packets stay under ~1500 bytes).
     * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF to ask for, or 0 for the system default.
     * @throws UncheckedIOException naming the address when a bind fails.
     */
    public UdpTransport(
        final List<InetSocketAddress> bindAddresses, final int maxDatagramLength, final int socketBufferBytes)
    {
        if (bindAddresses.isEmpty())
        {
            throw new IllegalArgumentException("no address to bind");
        }
        if (maxDatagramLength < 64 || maxDatagramLength > MAX_UDP_PAYLOAD)
        {
            throw new IllegalArgumentException("maxDatagramLength out of range 64.." + MAX_UDP_PAYLOAD);
        }
        this.maxDatagramLength = maxDatagramLength;

        final List<InetSocketAddress> binds = mergeWildcards(bindAddresses);
        final List<DatagramChannel> opened = new ArrayList<>();
        final List<InetSocketAddress> locals = new ArrayList<>();
        final List<Boolean> v6 = new ArrayList<>();
        final List<Boolean> v4 = new ArrayList<>();
        try
        {
            for (final InetSocketAddress bind : binds)
            {
                DatagramChannel channel;
                final boolean dualStack = bind.getAddress() instanceof Inet6Address && bind.getAddress().isAnyLocalAddress();
                try
                {
                    channel = open(bind, socketBufferBytes);
                }
                catch (final IOException ex)
                {
                    if (dualStack && !(ex instanceof BindException))
                    {
                        // no IPv6 here: serve IPv4 on the same port
                        final InetSocketAddress v4Bind = new InetSocketAddress("0.0.0.0", bind.getPort());
                        LOG.warning("IPv6 unavailable (" + ex.getMessage() + "); binding " + v4Bind + " only");
                        channel = open(v4Bind, socketBufferBytes);
                    }
                    else
                    {
                        throw new UncheckedIOException("cannot bind UDP " + bind + ": " + ex.getMessage(), ex);
                    }
                }
                opened.add(channel);
                final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
                locals.add(local);
                final boolean isV6 = local.getAddress() instanceof Inet6Address;
                v6.add(isV6);
                v4.add(!isV6 || local.getAddress().isAnyLocalAddress());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            opened.forEach(CloseHelper::quietClose);
            throw ex instanceof IOException ? new UncheckedIOException((IOException)ex) : (RuntimeException)ex;
        }

        channels = opened.toArray(new DatagramChannel[0]);
        localAddresses = locals.toArray(new InetSocketAddress[0]);
        ipv6Capable = new boolean[channels.length];
        ipv4Capable = new boolean[channels.length];
        for (int i = 0; i < channels.length; i++)
        {
            ipv6Capable[i] = v6.get(i);
            ipv4Capable[i] = v4.get(i);
        }

        // receive without a new source address per datagram where the JDK allows (SourceAddressReceiver)
        descriptors = new FileDescriptor[channels.length];
        if (SourceAddressReceiver.available() && !Boolean.getBoolean(PLAIN_RECEIVE_PROPERTY))
        {
            for (int i = 0; i < channels.length; i++)
            {
                descriptors[i] = SourceAddressReceiver.descriptor(channels[i]);
            }
        }
        receiveByteBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
        receiveBuffer = new UnsafeBuffer(receiveByteBuffer);
        sendByteBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
        sendBuffer = new UnsafeBuffer(sendByteBuffer);
    }

    private static DatagramChannel open(final InetSocketAddress bind, final int socketBufferBytes) throws IOException
    {
        final ProtocolFamily family = bind.getAddress() instanceof Inet4Address ?
            StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        final DatagramChannel channel = DatagramChannel.open(family);
        try
        {
            if (socketBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            }
            channel.bind(bind);
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    /**
     * Replace an IPv4 wildcard that has an IPv6 wildcard on the same port by nothing: the dual-stack IPv6 socket
     * serves both.
     */
    static List<InetSocketAddress> mergeWildcards(final List<InetSocketAddress> binds)
    {
        final List<InetSocketAddress> merged = new ArrayList<>(binds.size());
        for (final InetSocketAddress bind : binds)
        {
            final InetAddress address = bind.getAddress();
            if (address instanceof Inet4Address && address.isAnyLocalAddress() && bind.getPort() != 0)
            {
                boolean coveredByV6 = false;
                for (final InetSocketAddress other : binds)
                {
                    if (other.getAddress() instanceof Inet6Address && other.getAddress().isAnyLocalAddress() &&
                        other.getPort() == bind.getPort())
                    {
                        coveredByV6 = true;
                        break;
                    }
                }
                if (coveredByV6)
                {
                    continue;
                }
            }
            if (!merged.contains(bind))
            {
                merged.add(bind);
            }
        }
        return merged;
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        int received = 0;
        final int channelCount = channels.length;
        // rotate the starting socket so that one busy socket cannot starve the others
        for (int n = 0; n < channelCount && received < limit; n++)
        {
            final int index = nextChannel;
            nextChannel = nextChannel + 1 == channelCount ? 0 : nextChannel + 1;
            final DatagramChannel channel = channels[index];
            final FileDescriptor fd = descriptors[index];
            while (received < limit)
            {
                final SocketAddress source;
                final int length;
                receiveByteBuffer.clear();
                try
                {
                    if (null != fd)
                    {
                        final int got = sourceReceiver.receive(fd, receiveBuffer.addressOffset(),
                            receiveBuffer.capacity());
                        source = got < 0 ? null : sourceReceiver.source();
                        length = got;
                        if (got >= 0 && null == source)
                        {
                            received++;
                            counters.truncatedIn++; // an address family we do not speak: dropped
                            continue;
                        }
                    }
                    else
                    {
                        source = channel.receive(receiveByteBuffer);
                        length = receiveByteBuffer.position();
                    }
                }
                catch (final IOException ex)
                {
                    counters.receiveErrors++;
                    if (!loggedReceiveError)
                    {
                        loggedReceiveError = true;
                        LOG.log(Level.WARNING, "UDP receive failed on " + localAddresses[index] + " (logged once)", ex);
                    }
                    break;
                }
                if (null == source)
                {
                    break;
                }

                received++;
                if (length > maxDatagramLength)
                {
                    counters.truncatedIn++;
                    continue;
                }
                counters.datagramsIn++;
                counters.bytesIn += length;
                handler.onDatagram(receiveBuffer, 0, length, (InetSocketAddress)source, index);
            }
        }
        return received;
    }

    @Override
    public int send(
        final int channel,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress destination)
    {
        final int index = channel >= 0 ? channel : channelFor(destination);
        if (index < 0 || index >= channels.length)
        {
            counters.dropsNoRoute++;
            return DROPPED_NO_ROUTE;
        }

        final ByteBuffer out;
        final ByteBuffer source = buffer.byteBuffer();
        if (source != null && source.isDirect() && buffer.wrapAdjustment() == 0)
        {
            // zero copy; one view per caller's buffer, kept, so steady-state sends allocate nothing
            if (source != lastSendSource)
            {
                lastSendSource = source;
                lastSendView = source.duplicate();
            }
            out = lastSendView;
            out.clear().limit(offset + length).position(offset);
        }
        else
        {
            sendBuffer.putBytes(0, buffer, offset, length);
            out = sendByteBuffer;
            out.clear().limit(length);
        }

        try
        {
            final int sent = channels[index].send(out, destination);
            if (sent == 0)
            {
                counters.dropsSendBufferFull++;
                return DROPPED_BUFFER_FULL;
            }
            counters.datagramsOut++;
            counters.bytesOut += sent;
            return SENT;
        }
        catch (final IOException | RuntimeException ex)
        {
            counters.sendErrors++;
            if (!loggedSendError)
            {
                loggedSendError = true;
                LOG.log(Level.WARNING, "UDP send to " + destination + " failed (logged once)", ex);
            }
            return DROPPED_ERROR;
        }
    }

    private int channelFor(final InetSocketAddress destination)
    {
        final boolean v4 = destination.getAddress() instanceof Inet4Address;
        int fallback = -1;
        for (int i = 0; i < channels.length; i++)
        {
            if (v4 ? ipv4Capable[i] : ipv6Capable[i])
            {
                // prefer a socket of the destination's own family over a dual-stack one
                if (!v4 || !ipv6Capable[i])
                {
                    return i;
                }
                if (fallback < 0)
                {
                    fallback = i;
                }
            }
        }
        return fallback;
    }

    @Override
    public int channelCount()
    {
        return channels.length;
    }

    @Override
    public InetSocketAddress localAddress(final int channel)
    {
        return localAddresses[channel];
    }

    /**
     * @return this transport's counters, read on the polling thread.
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /**
     * Wait on the sockets (epoll) for up to {@code timeoutNs}, rounded up to a millisecond: a datagram wakes the
     * caller at once, unlike a park of the same length.
     */
    @Override
    public void awaitReadable(final long timeoutNs)
    {
        if (null == selector && !selectorFailed)
        {
            try
            {
                selector = java.nio.channels.Selector.open();
                for (final DatagramChannel channel : channels)
                {
                    channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
                }
            }
            catch (final IOException ex)
            {
                selectorFailed = true;
            }
        }
        if (null == selector)
        {
            DatagramTransport.super.awaitReadable(timeoutNs);
            return;
        }
        try
        {
            selector.select(ignoreKey, Math.max(1, (timeoutNs + 999_999) / 1_000_000));
        }
        catch (final IOException ex)
        {
            DatagramTransport.super.awaitReadable(timeoutNs);
        }
    }

    @Override
    public boolean registerReadable(final java.nio.channels.Selector selector, final Object attachment)
    {
        try
        {
            for (final DatagramChannel channel : channels)
            {
                channel.register(selector, java.nio.channels.SelectionKey.OP_READ, attachment);
            }
            return true;
        }
        catch (final IOException ex)
        {
            LOG.log(Level.WARNING, "could not register the sockets with a selector", ex);
            return false;
        }
    }

    @Override
    public void close()
    {
        if (null != selector)
        {
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
        for (final DatagramChannel channel : channels)
        {
            CloseHelper.quietClose(channel);
        }
    }
}
