package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;

/**
 * Datagrams waiting for a release time, in a bounded pool of pre-allocated slots kept in a min-heap on (release time,
 * arrival order): the earliest comes out first, and equal times come out in the order they went in. Each slot holds
 * a copy of the bytes, a channel and an address. Allocation-free; single-threaded. (The same structure
 * {@link ImpairedTransport} keeps inline, which could use this one.)
 */
final class DatagramQueue
{
    private final UnsafeBuffer[] buffers;
    private final int[] lengths;
    private final int[] channels;
    private final InetSocketAddress[] addresses;
    private final long[] releaseNs;
    private final long[] order;
    private final int[] free;
    private int freeCount;
    private final int[] heap;
    private int size;
    private long sequence;

    /**
     * @param capacity          datagrams that may wait at once.
     * @param maxDatagramLength largest datagram a slot holds.
     */
    DatagramQueue(final int capacity, final int maxDatagramLength)
    {
        buffers = new UnsafeBuffer[capacity];
        lengths = new int[capacity];
        channels = new int[capacity];
        addresses = new InetSocketAddress[capacity];
        releaseNs = new long[capacity];
        order = new long[capacity];
        free = new int[capacity];
        heap = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            buffers[i] = new UnsafeBuffer(new byte[maxDatagramLength]);
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /**
     * Copy a datagram in.
     *
     * @return false when every slot is taken or it is longer than a slot (nothing was copied).
     */
    boolean offer(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long releaseAtNs,
        final int channel,
        final InetSocketAddress address)
    {
        if (0 == freeCount || length > buffers[0].capacity())
        {
            return false;
        }
        final int slot = free[--freeCount];
        buffers[slot].putBytes(0, buffer, offset, length);
        lengths[slot] = length;
        channels[slot] = channel;
        addresses[slot] = address;
        releaseNs[slot] = releaseAtNs;
        order[slot] = sequence++;

        int i = size++;
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

    /**
     * Take the earliest datagram out of the order if it is due; its slot stays valid until {@link #free(int)}.
     *
     * @param nowNs the time now.
     * @return its slot, or -1 when none is due.
     */
    int pollDue(final long nowNs)
    {
        if (0 == size || releaseNs[heap[0]] - nowNs > 0)
        {
            return -1;
        }
        final int slot = heap[0];
        heap[0] = heap[--size];
        siftDown();
        return slot;
    }

    /** Return a slot taken by {@link #pollDue} to the pool. */
    void free(final int slot)
    {
        addresses[slot] = null;
        free[freeCount++] = slot;
    }

    /** Drop everything waiting. */
    void clear()
    {
        while (size > 0)
        {
            free(heap[--size]);
        }
    }

    UnsafeBuffer buffer(final int slot)
    {
        return buffers[slot];
    }

    int length(final int slot)
    {
        return lengths[slot];
    }

    int channel(final int slot)
    {
        return channels[slot];
    }

    InetSocketAddress address(final int slot)
    {
        return addresses[slot];
    }

    /** @return the release time of the earliest datagram, or {@link Long#MAX_VALUE} when empty. */
    long nextReleaseNs()
    {
        return size > 0 ? releaseNs[heap[0]] : Long.MAX_VALUE;
    }

    /** @return datagrams waiting. */
    int size()
    {
        return size;
    }

    private boolean before(final int a, final int b)
    {
        final long d = releaseNs[a] - releaseNs[b];
        return d < 0 || (0 == d && order[a] < order[b]);
    }

    private void siftDown()
    {
        int i = 0;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= size)
            {
                return;
            }
            final int right = left + 1;
            final int first = right < size && before(heap[right], heap[left]) ? right : left;
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
}
