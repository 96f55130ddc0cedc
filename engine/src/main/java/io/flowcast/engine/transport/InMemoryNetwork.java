package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A datagram network in memory, on an injected clock, for tests that run endpoints in virtual time: create
 * {@link InMemoryTransport}s with the addresses of your choice (loopback-looking IPv4 or IPv6 addresses are fine:
 * nothing touches a socket), give each endpoint one ({@code EndpointContext.transport}), shape each direction of each
 * link with a {@link LinkSchedule} (seeded loss, chosen drops, duplication, delay and jitter, a bottleneck with a
 * bounded queue, blackholing), watch every datagram with a {@link DatagramTap}, and move a transport to another
 * address mid-test ({@link InMemoryTransport#rebind}).
 * <p>
 * A sent datagram is copied at once into a pre-allocated slot of the destination transport with the virtual time
 * at which it becomes readable; {@link InMemoryTransport#poll} hands over those whose time has come, earliest first
 * (FIFO among equal times). So advancing the clock and running the endpoints' duty cycles is all it takes; the network
 * has no thread and no work of its own. Allocation-free once the links are created (the first datagram between two
 * transports creates their link). Single-threaded: the thread that drives the endpoints owns it.
 */
public final class InMemoryNetwork
{
    /** Default datagrams that may wait at one transport. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Default largest datagram. */
    public static final int DEFAULT_MAX_DATAGRAM_LENGTH = 8192;
    private static final int FIRST_PORT = 40_000;

    private final NanoClock clock;
    private final long seed;
    private final int capacity;
    private final int maxDatagramLength;
    private final HashMap<InetSocketAddress, InMemoryTransport> routes = new HashMap<>();
    private final List<InMemoryTransport> transports = new ArrayList<>();
    private LinkSchedule[][] links = new LinkSchedule[0][];
    private DatagramTap tap;
    private long unroutable;
    private int nextPort = FIRST_PORT;

    /**
     * @param clock the virtual clock (shared with the endpoints).
     * @param seed  from which each link's generator is derived.
     */
    public InMemoryNetwork(final NanoClock clock, final long seed)
    {
        this(clock, seed, DEFAULT_CAPACITY, DEFAULT_MAX_DATAGRAM_LENGTH);
    }

    /**
     * @param clock             the virtual clock (shared with the endpoints).
     * @param seed              from which each link's generator is derived.
     * @param capacity          datagrams that may wait at one transport (its receive buffer); more are dropped and
     *                          counted ({@link InMemoryTransport#receiverFullDrops()}).
     * @param maxDatagramLength largest datagram; longer ones are dropped and counted as receiver-full.
     */
    public InMemoryNetwork(final NanoClock clock, final long seed, final int capacity, final int maxDatagramLength)
    {
        if (capacity < 1 || maxDatagramLength < 1)
        {
            throw new IllegalArgumentException("capacity and maxDatagramLength must be >= 1");
        }
        this.clock = clock;
        this.seed = seed;
        this.capacity = capacity;
        this.maxDatagramLength = maxDatagramLength;
    }

    /**
     * A new transport with these local addresses (one channel each; port 0 takes the next free port from 40000).
     *
     * @param localAddresses its addresses, not in use by another transport.
     * @return the transport.
     */
    public InMemoryTransport transport(final InetSocketAddress... localAddresses)
    {
        if (0 == localAddresses.length)
        {
            throw new IllegalArgumentException("a transport needs at least one local address");
        }
        final InetSocketAddress[] resolved = new InetSocketAddress[localAddresses.length];
        for (int i = 0; i < localAddresses.length; i++)
        {
            resolved[i] = 0 == localAddresses[i].getPort() ?
                new InetSocketAddress(localAddresses[i].getAddress(), freePort(localAddresses[i].getAddress())) :
                localAddresses[i];
            if (routes.containsKey(resolved[i]))
            {
                throw new IllegalArgumentException("address in use: " + resolved[i]);
            }
        }
        final InMemoryTransport transport =
            new InMemoryTransport(this, transports.size(), resolved, capacity, maxDatagramLength);
        transports.add(transport);
        for (final InetSocketAddress address : resolved)
        {
            routes.put(address, transport);
        }
        final LinkSchedule[][] grown = new LinkSchedule[transports.size()][];
        for (int i = 0; i < grown.length; i++)
        {
            grown[i] = new LinkSchedule[grown.length];
            if (i < links.length)
            {
                System.arraycopy(links[i], 0, grown[i], 0, links[i].length);
            }
        }
        links = grown;
        return transport;
    }

    /**
     * A new transport on one address.
     *
     * @param host IP literal, e.g. {@code "10.0.0.1"} or {@code "fd00::1"}.
     * @param port port, or 0 for the next free one.
     * @return the transport.
     */
    public InMemoryTransport transport(final String host, final int port)
    {
        return transport(new InetSocketAddress(literal(host), port));
    }

    /**
     * The schedule of datagrams from one transport to another (created on first use, unimpaired).
     *
     * @param from sender.
     * @param to   receiver.
     * @return the link's schedule for that direction.
     */
    public LinkSchedule link(final InMemoryTransport from, final InMemoryTransport to)
    {
        LinkSchedule link = links[from.id][to.id];
        if (null == link)
        {
            link = new LinkSchedule(mix(seed, from.id, to.id));
            links[from.id][to.id] = link;
        }
        return link;
    }

    /**
     * @param tap sees every datagram sent (null for none).
     */
    public void tap(final DatagramTap tap)
    {
        this.tap = tap;
    }

    /**
     * @return the network's clock.
     */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @return the seed links are derived from.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @return the earliest time a waiting datagram becomes readable anywhere, or {@link Long#MAX_VALUE} when none
     * waits.
     */
    public long nextReleaseNs()
    {
        long next = Long.MAX_VALUE;
        for (int i = 0, n = transports.size(); i < n; i++)
        {
            next = Math.min(next, transports.get(i).nextReleaseNs());
        }
        return next;
    }

    /**
     * @return datagrams waiting anywhere.
     */
    public int waiting()
    {
        int waiting = 0;
        for (int i = 0, n = transports.size(); i < n; i++)
        {
            waiting += transports.get(i).waiting();
        }
        return waiting;
    }

    /**
     * @return datagrams sent to an address no transport has.
     */
    public long unroutable()
    {
        return unroutable;
    }

    int send(
        final InMemoryTransport from,
        final InetSocketAddress source,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress destination)
    {
        final long nowNs = clock.nanoTime();
        final InMemoryTransport to = routes.get(destination);
        if (null == to)
        {
            unroutable++;
            notifyTap(nowNs, -1, source, destination, buffer, offset, length, DatagramTap.NO_ROUTE);
            return DatagramTransport.SENT; // UDP to nowhere: the sender cannot tell
        }
        final LinkSchedule link = link(from, to);
        final int admitted = link.admit();
        if (DatagramTap.QUEUED != admitted)
        {
            notifyTap(nowNs, -1, source, destination, buffer, offset, length, admitted);
            return DatagramTransport.SENT;
        }
        final int copies = link.copies();
        for (int copy = 0; copy < copies; copy++)
        {
            final int queuedFate = 0 == copy ? DatagramTap.QUEUED : DatagramTap.DUPLICATE;
            final long releaseNs = link.releaseTime(nowNs, length);
            if (releaseNs < 0)
            {
                notifyTap(nowNs, -1, source, destination, buffer, offset, length, DatagramTap.QUEUE_FULL);
            }
            else if (to.enqueue(buffer, offset, length, source, destination, releaseNs))
            {
                link.countQueued();
                notifyTap(nowNs, releaseNs, source, destination, buffer, offset, length, queuedFate);
            }
            else
            {
                notifyTap(nowNs, -1, source, destination, buffer, offset, length, DatagramTap.RECEIVER_FULL);
            }
        }
        return DatagramTransport.SENT;
    }

    void rebind(
        final InMemoryTransport transport,
        final InetSocketAddress oldAddress,
        final InetSocketAddress newAddress,
        final boolean keepOld)
    {
        final InMemoryTransport holder = routes.get(newAddress);
        if (null != holder && holder != transport)
        {
            throw new IllegalArgumentException("address in use: " + newAddress);
        }
        if (!keepOld)
        {
            routes.remove(oldAddress);
        }
        routes.put(newAddress, transport);
    }

    void unregister(final InMemoryTransport transport)
    {
        routes.values().removeIf((t) -> t == transport);
    }

    private void notifyTap(
        final long sendNs,
        final long releaseNs,
        final InetSocketAddress source,
        final InetSocketAddress destination,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int fate)
    {
        final DatagramTap tap = this.tap;
        if (null != tap)
        {
            tap.onDatagram(sendNs, releaseNs, source, destination, buffer, offset, length, fate);
        }
    }

    private int freePort(final InetAddress address)
    {
        while (routes.containsKey(new InetSocketAddress(address, nextPort)))
        {
            nextPort++;
        }
        return nextPort++;
    }

    /**
     * @param host an IP literal.
     * @return the address, without a name lookup.
     */
    public static InetAddress literal(final String host)
    {
        if (!host.isEmpty() && (Character.digit(host.charAt(0), 16) >= 0 || host.charAt(0) == ':') &&
            (host.indexOf(':') >= 0 || host.chars().allMatch((c) -> c == '.' || Character.isDigit(c))))
        {
            try
            {
                return InetAddress.getByName(host); // a literal: no lookup
            }
            catch (final java.net.UnknownHostException ex)
            {
                throw new IllegalArgumentException("not an IP literal: " + host, ex);
            }
        }
        throw new IllegalArgumentException("not an IP literal: " + host);
    }

    private static long mix(final long seed, final int from, final int to)
    {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + from) + 0xC2B2AE3D27D4EB4FL * (1 + to);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
