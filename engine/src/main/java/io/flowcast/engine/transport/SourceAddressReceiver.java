package io.flowcast.engine.transport;

import org.agrona.BufferUtil;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives a datagram and its source address without allocating. {@link DatagramChannel#receive} makes a new
 * {@link InetSocketAddress} whenever the source differs from the previous datagram's, which on a server with many
 * peers is nearly every datagram (110-155 bytes per message and player in the fan-out). This calls the JDK's own
 * {@code recvfrom} binding ({@code sun.nio.ch.DatagramChannelImpl.receive0}, opened to us by the
 * {@code --add-opens java.base/sun.nio.ch} the build's JVM flags carry) with a source {@code sockaddr} buffer of our
 * own, and maps the source to a cached {@link InetSocketAddress}: one allocation per new IPv4 peer (or IPv4-mapped
 * IPv6), none after. IPv6 sources keep the last one and allocate when it changes.
 * <p>
 * Used only when the JDK has that method and the channel those fields ({@link #available()}); the transport
 * otherwise calls {@link DatagramChannel#receive}. Only for the thread that owns the channel, non-blocking channels,
 * never concurrently with {@code close}: the endpoint's agent thread, which stops before the transport closes.
 */
final class SourceAddressReceiver
{
    /** What {@code receive0} returns when nothing is waiting (IOStatus.UNAVAILABLE) or on EINTR. */
    static final int UNAVAILABLE = -2;
    static final int INTERRUPTED = -3;
    /** Peers remembered before the cache is cleared and rebuilt (a bound on memory under address churn). */
    static final int MAX_CACHED = 65_536;

    private static final Logger LOG = Logger.getLogger(SourceAddressReceiver.class.getName());
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final MethodHandle RECEIVE0;
    private static final VarHandle FD;

    static
    {
        MethodHandle receive0 = null;
        VarHandle fd = null;
        try
        {
            if (System.getProperty("os.name", "").toLowerCase().contains("linux"))
            {
                final Class<?> impl = Class.forName("sun.nio.ch.DatagramChannelImpl");
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
                receive0 = lookup.findStatic(impl, "receive0",
                    MethodType.methodType(int.class, FileDescriptor.class, long.class, int.class, long.class,
                    boolean.class));
                fd = lookup.findVarHandle(impl, "fd", FileDescriptor.class);
            }
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            LOG.log(Level.FINE, "DatagramChannel.receive will be used (allocates a source address per datagram)", ex);
            receive0 = null;
            fd = null;
        }
        RECEIVE0 = receive0;
        FD = fd;
    }

    private final ByteBuffer sockaddrBuffer = BufferUtil.allocateDirectAligned(128, 64); // sockaddr_storage
    private final UnsafeBuffer sockaddr = new UnsafeBuffer(sockaddrBuffer);
    private final long sockaddrAddress = sockaddr.addressOffset();
    private final Long2ObjectHashMap<InetSocketAddress> ipv4 = new Long2ObjectHashMap<>();
    private final byte[] scratch6 = new byte[16];
    private final byte[] last6 = new byte[16];
    private int last6Port = -1;
    private int last6Scope;
    private InetSocketAddress last6Address;
    private InetSocketAddress source;

    /**
     * @return true when this JDK lets us receive without allocating.
     */
    static boolean available()
    {
        return null != RECEIVE0;
    }

    /**
     * @param channel a channel of {@link DatagramChannel#open} (the JDK's implementation class).
     * @return its file descriptor, or null when it is not the JDK's class.
     */
    static FileDescriptor descriptor(final DatagramChannel channel)
    {
        if (null == FD || !"sun.nio.ch.DatagramChannelImpl".equals(channel.getClass().getName()))
        {
            return null;
        }
        return (FileDescriptor)FD.get(channel);
    }

    /**
     * Receive one datagram into native memory.
     *
     * @param fd      the channel's descriptor ({@link #descriptor}).
     * @param address where the payload goes.
     * @param length  room there.
     * @return its length, or {@link #UNAVAILABLE} when nothing is waiting; {@link #source()} is then its source.
     * @throws IOException from the socket.
     */
    int receive(final FileDescriptor fd, final long address, final int length) throws IOException
    {
        final int n;
        try
        {
            n = (int)RECEIVE0.invokeExact(fd, address, length, sockaddrAddress, false);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IOException(ex);
        }
        if (n < 0)
        {
            return UNAVAILABLE; // nothing waiting, or interrupted: the next poll tries again
        }
        source = decode();
        return n;
    }

    /**
     * @return the source of the last datagram {@link #receive} returned, or null when its family was unknown.
     */
    InetSocketAddress source()
    {
        return source;
    }

    private InetSocketAddress decode() throws UnknownHostException
    {
        final int family = sockaddr.getShort(0, ByteOrder.nativeOrder()) & 0xFFFF;
        final int port = sockaddr.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (AF_INET == family)
        {
            return ipv4(sockaddr.getInt(4, ByteOrder.BIG_ENDIAN), port);
        }
        if (AF_INET6 != family)
        {
            return null;
        }
        // sockaddr_in6: flowinfo at 4, address at 8, scope ID at 24; ::ffff:a.b.c.d is an IPv4 peer on a dual stack
        if (0 == sockaddr.getLong(8) && 0 == sockaddr.getShort(16) &&
            0xFFFF == (sockaddr.getShort(18, ByteOrder.BIG_ENDIAN) & 0xFFFF))
        {
            return ipv4(sockaddr.getInt(20, ByteOrder.BIG_ENDIAN), port);
        }
        sockaddr.getBytes(8, scratch6);
        final int scope = sockaddr.getInt(24, ByteOrder.nativeOrder());
        if (port == last6Port && scope == last6Scope && java.util.Arrays.equals(scratch6, last6))
        {
            return last6Address;
        }
        System.arraycopy(scratch6, 0, last6, 0, 16);
        last6Port = port;
        last6Scope = scope;
        last6Address = new InetSocketAddress(
            0 == scope ? InetAddress.getByAddress(scratch6) : java.net.Inet6Address.getByAddress(null, scratch6, scope),
            port);
        return last6Address;
    }

    private InetSocketAddress ipv4(final int ip, final int port) throws UnknownHostException
    {
        final long key = ((ip & 0xFFFF_FFFFL) << 16) | port;
        InetSocketAddress address = ipv4.get(key);
        if (null == address)
        {
            if (ipv4.size() >= MAX_CACHED)
            {
                ipv4.clear();
            }
            final byte[] bytes = {(byte)(ip >>> 24), (byte)(ip >>> 16), (byte)(ip >>> 8), (byte)ip};
            address = new InetSocketAddress(InetAddress.getByAddress(bytes), port);
            ipv4.put(key, address);
        }
        return address;
    }
}
