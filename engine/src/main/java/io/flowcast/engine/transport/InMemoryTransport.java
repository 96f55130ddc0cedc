package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One endpoint's "sockets" on an {@link InMemoryNetwork}: one channel per local address. Datagrams sent to it wait
 * in a bounded pool of pre-allocated slots, ordered by the virtual time at which they become readable (then by send
 * order); {@link #poll} delivers those due at the network clock's current time. A full pool drops and counts, like a
 * socket's receive buffer. Never blocks, allocates nothing per datagram.
 */
public final class InMemoryTransport implements DatagramTransport
{
    final int id;
    private final InMemoryNetwork network;
    private final InetSocketAddress[] localAddresses;
    private final InetSocketAddress[] keptAddresses;

    private final UnsafeBuffer[] slotBuffers;
    private final int[] slotLengths;
    private final int[] slotChannels;
    private final InetSocketAddress[] slotSources;
    private final long[] slotReleaseNs;
    private final long[] slotSequence;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] heap; // slot indices, min-heap on (release time, sequence)
    private int heapSize;
    private boolean closed;

    private long datagramsIn;
    private long bytesIn;
    private long datagramsOut;
    private long bytesOut;
    private long receiverFullDrops;
    private long noRouteDrops;

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
        slotBuffers = new UnsafeBuffer[capacity];
        slotLengths = new int[capacity];
        slotChannels = new int[capacity];
        slotSources = new InetSocketAddress[capacity];
        slotReleaseNs = new long[capacity];
        slotSequence = new long[capacity];
        freeSlots = new int[capacity];
        heap = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slotBuffers[i] = new UnsafeBuffer(new byte[maxDatagramLength]);
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
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
        while (delivered < limit && heapSize > 0 && slotReleaseNs[heap[0]] - nowNs <= 0)
        {
            final int slot = heap[0];
            heap[0] = heap[--heapSize];
            siftDown();
            datagramsIn++;
            bytesIn += slotLengths[slot];
            delivered++;
            try
            {
                handler.onDatagram(slotBuffers[slot], 0, slotLengths[slot], slotSources[slot], slotChannels[slot]);
            }
            finally
            {
                slotSources[slot] = null;
                freeSlots[freeCount++] = slot;
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
            noRouteDrops++;
            return DROPPED_NO_ROUTE;
        }
        datagramsOut++;
        bytesOut += length;
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
        final long releaseNs,
        final long sequence)
    {
        if (closed || 0 == freeCount || length > slotBuffers[0].capacity())
        {
            receiverFullDrops++;
            return false;
        }
        final int slot = freeSlots[--freeCount];
        slotBuffers[slot].putBytes(0, buffer, offset, length);
        slotLengths[slot] = length;
        slotChannels[slot] = channelOf(destination);
        slotSources[slot] = source;
        slotReleaseNs[slot] = releaseNs;
        slotSequence[slot] = sequence;

        int i = heapSize++;
        heap[i] = slot;
        while (i > 0)
        {
            final int parent = (i - 1) >> 1;
            if (!before(heap[i], heap[parent]))
            {
                break;
            }
            swap(i, parent);
            i = parent;
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

    private boolean before(final int a, final int b)
    {
        final long d = slotReleaseNs[a] - slotReleaseNs[b];
        return d < 0 || (0 == d && slotSequence[a] < slotSequence[b]);
    }

    private void siftDown()
    {
        int i = 0;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= heapSize)
            {
                return;
            }
            final int right = left + 1;
            final int first = right < heapSize && before(heap[right], heap[left]) ? right : left;
            if (!before(heap[first], heap[i]))
            {
                return;
            }
            swap(i, first);
            i = first;
        }
    }

    private void swap(final int a, final int b)
    {
        final int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
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
        return heapSize > 0 ? slotReleaseNs[heap[0]] : Long.MAX_VALUE;
    }

    /**
     * @return datagrams waiting to be read (some not yet due).
     */
    public int waiting()
    {
        return heapSize;
    }

    /** @return datagrams handed to the handler. */
    public long datagramsIn()
    {
        return datagramsIn;
    }

    /** @return bytes handed to the handler. */
    public long bytesIn()
    {
        return bytesIn;
    }

    /** @return datagrams sent (whatever the network then did with them). */
    public long datagramsOut()
    {
        return datagramsOut;
    }

    /** @return bytes sent. */
    public long bytesOut()
    {
        return bytesOut;
    }

    /** @return datagrams dropped on arrival because every slot was taken (or they were too long). */
    public long receiverFullDrops()
    {
        return receiverFullDrops;
    }

    /** @return sends with no local address of the destination's family. */
    public long noRouteDrops()
    {
        return noRouteDrops;
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
            for (int i = 0; i < heapSize; i++)
            {
                slotSources[heap[i]] = null;
            }
            heapSize = 0;
        }
    }

    @Override
    public String toString()
    {
        return "InMemoryTransport" + java.util.Arrays.toString(localAddresses) + "{waiting=" + heapSize +
            ", in=" + datagramsIn + ", out=" + datagramsOut + ", receiverFull=" + receiverFullDrops + '}';
    }
}
