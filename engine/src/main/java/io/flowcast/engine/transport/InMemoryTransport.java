package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One endpoint's "sockets" on an {@link InMemoryNetwork}: one channel per local address. Datagrams sent to it wait
 * in a bounded pool of pre-allocated slots ({@code DatagramQueue}), ordered by the virtual time at which they become
 * readable (then by arrival order); {@link #poll} delivers those due at the network clock's current time. A full
 * pool drops and counts, like a socket's receive buffer. Never blocks, allocates nothing per datagram.
 */
public final class InMemoryTransport implements DatagramTransport
{
    final int id;
    private final InMemoryNetwork network;
    private final InetSocketAddress[] localAddresses;
    private final InetSocketAddress[] keptAddresses;

    private final DatagramQueue inbound;
    private final TransportCounters counters = new TransportCounters();
    private boolean closed;
    private long receiverFullDrops;

    InMemoryTransport(
        final InMemoryNetwork network,
        final int id,
        final InetSocketAddress[] localAddresses,
        final int capacity,
        final int maxDatagramLength)
    {
        this.network = network;
        this.id = id;
        this.localAddresses = localAddresses.clone();
        this.keptAddresses = new InetSocketAddress[localAddresses.length];
        this.inbound = new DatagramQueue(capacity, maxDatagramLength);
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        final long nowNs = network.clock().nanoTime();
        int delivered = 0;
        int slot;
        while (delivered < limit && (slot = inbound.pollDue(nowNs)) >= 0)
        {
            counters.datagramsIn++;
            counters.bytesIn += inbound.length(slot);
            delivered++;
            try
            {
                handler.onDatagram(inbound.buffer(slot), 0, inbound.length(slot), inbound.address(slot),
                    inbound.channel(slot));
            }
            finally
            {
                inbound.free(slot);
            }
        }
        return delivered;
    }

    @Override
    public int send(
        final int channel,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress destination)
    {
        if (closed)
        {
            return DROPPED_ERROR;
        }
        final int from = channel >= 0 && channel < localAddresses.length ? channel : channelFor(destination);
        if (from < 0)
        {
            counters.dropsNoRoute++;
            return DROPPED_NO_ROUTE;
        }
        counters.datagramsOut++;
        counters.bytesOut += length;
        return network.send(this, localAddresses[from], buffer, offset, length, destination);
    }

    private int channelFor(final InetSocketAddress destination)
    {
        final boolean v6 = destination.getAddress() instanceof Inet6Address;
        for (int i = 0; i < localAddresses.length; i++)
        {
            if ((localAddresses[i].getAddress() instanceof Inet6Address) == v6)
            {
                return i;
            }
        }
        return -1;
    }

    boolean enqueue(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress source,
        final InetSocketAddress destination,
        final long releaseNs)
    {
        if (closed || !inbound.offer(buffer, offset, length, releaseNs, channelOf(destination), source))
        {
            receiverFullDrops++;
            return false;
        }
        return true;
    }

    private int channelOf(final InetSocketAddress destination)
    {
        for (int i = 0; i < localAddresses.length; i++)
        {
            if (localAddresses[i].equals(destination) || destination.equals(keptAddresses[i]))
            {
                return i;
            }
        }
        return 0;
    }

    /**
     * Move a channel to another local address, as after a NAT rebinding or a change of interface: datagrams sent
     * from now on carry the new source address.
     *
     * @param channel    the channel.
     * @param newAddress its new address (not in use by another transport).
     * @param keepOld    true when datagrams to the old address still arrive here (the old path still works).
     */
    public void rebind(final int channel, final InetSocketAddress newAddress, final boolean keepOld)
    {
        final InetSocketAddress old = localAddresses[channel];
        network.rebind(this, old, newAddress, keepOld);
        keptAddresses[channel] = keepOld ? old : null;
        localAddresses[channel] = newAddress;
    }

    /**
     * @return when the earliest waiting datagram becomes readable, or {@link Long#MAX_VALUE}.
     */
    public long nextReleaseNs()
    {
        return inbound.nextReleaseNs();
    }

    /**
     * @return datagrams waiting to be read (some not yet due).
     */
    public int waiting()
    {
        return inbound.size();
    }

    /**
     * @return datagrams and bytes in (handed to the handler) and out (sent, whatever the network then did), sends
     * with no local address of the destination's family ({@link TransportCounters#dropsNoRoute()}).
     */
    public TransportCounters counters()
    {
        return counters;
    }

    /** @return datagrams dropped on arrival because every slot was taken (or they were too long). */
    public long receiverFullDrops()
    {
        return receiverFullDrops;
    }

    /** @return the network this transport is on. */
    public InMemoryNetwork network()
    {
        return network;
    }

    @Override
    public int channelCount()
    {
        return localAddresses.length;
    }

    @Override
    public InetSocketAddress localAddress(final int channel)
    {
        return localAddresses[channel];
    }

    @Override
    public void awaitReadable(final long timeoutNs)
    {
        // virtual time: nothing becomes readable while the caller waits, so never wait
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            network.unregister(this);
            inbound.clear();
        }
    }

    @Override
    public String toString()
    {
        return "InMemoryTransport" + java.util.Arrays.toString(localAddresses) + "{waiting=" + inbound.size() +
            ", in=" + counters.datagramsIn + ", out=" + counters.datagramsOut + ", receiverFull=" +
            receiverFullDrops + '}';
    }
}
