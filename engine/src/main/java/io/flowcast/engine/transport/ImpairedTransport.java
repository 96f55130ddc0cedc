package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * Wraps a transport and impairs what it sends, like a bad network: random loss, chosen losses, duplication, and
 * delay with jitter (which reorders). Seeded, so a failing test can be replayed. Delayed datagrams wait in a
 * bounded pool of pre-allocated slots ordered by release time; when the pool is full the datagram is dropped and
 * counted, as a router queue would. Used by loss tests and by {@code --impair} options of the load tools.
 */
public final class ImpairedTransport implements DatagramTransport
{
    private final DatagramTransport delegate;
    private final NanoClock clock;
    private final SplittableRandom random;
    private final double lossProbability;
    private final double duplicateProbability;
    private final long delayNs;
    private final long jitterNs;
    private final LongPredicate dropChosen;

    private final UnsafeBuffer[] slotBuffers;
    private final int[] slotLengths;
    private final int[] slotChannels;
    private final InetSocketAddress[] slotDestinations;
    private final long[] slotReleaseNs;
    private final int[] freeSlots;
    private int freeCount;
    private final int[] heap; // slot indices, min-heap on release time
    private int heapSize;

    private long sendIndex;
    private long dropped;
    private long duplicated;
    private long delayed;
    private long overflowed;

    /**
     * @param delegate             the real transport.
     * @param clock                time source for delays.
     * @param seed                 for the random choices.
     * @param lossProbability      chance that a datagram is dropped, 0..1.
     * @param duplicateProbability chance that a datagram is sent twice, 0..1.
     * @param delayNs              fixed delay added to every datagram.
     * @param jitterNs             extra random delay, 0..jitterNs, uniformly; non-zero jitter reorders.
     * @param dropChosen           drops the datagrams whose 0-based send index it accepts (null for none).
     * @param capacity             datagrams that may wait at once.
     * @param maxDatagramLength    largest datagram to hold.
     */
    public ImpairedTransport(
        final DatagramTransport delegate,
        final NanoClock clock,
        final long seed,
        final double lossProbability,
        final double duplicateProbability,
        final long delayNs,
        final long jitterNs,
        final LongPredicate dropChosen,
        final int capacity,
        final int maxDatagramLength)
    {
        if (lossProbability < 0 || lossProbability > 1 || duplicateProbability < 0 || duplicateProbability > 1)
        {
            throw new IllegalArgumentException("probabilities must be within 0..1");
        }
        if (delayNs < 0 || jitterNs < 0 || capacity < 1)
        {
            throw new IllegalArgumentException("delay, jitter must be >= 0 and capacity >= 1");
        }
        this.delegate = delegate;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.lossProbability = lossProbability;
        this.duplicateProbability = duplicateProbability;
        this.delayNs = delayNs;
        this.jitterNs = jitterNs;
        this.dropChosen = dropChosen;

        slotBuffers = new UnsafeBuffer[capacity];
        slotLengths = new int[capacity];
        slotChannels = new int[capacity];
        slotDestinations = new InetSocketAddress[capacity];
        slotReleaseNs = new long[capacity];
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
        return delegate.poll(handler, limit);
    }

    @Override
    public int send(
        final int channel,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress destination)
    {
        final long index = sendIndex++;
        if ((null != dropChosen && dropChosen.test(index)) ||
            (lossProbability > 0 && random.nextDouble() < lossProbability))
        {
            dropped++;
            return SENT; // the network lost it; the sender cannot tell
        }

        final int copies = duplicateProbability > 0 && random.nextDouble() < duplicateProbability ? 2 : 1;
        if (copies == 2)
        {
            duplicated++;
        }
        int result = SENT;
        for (int i = 0; i < copies; i++)
        {
            final long delay = delayNs + (jitterNs > 0 ? random.nextLong(jitterNs + 1) : 0);
            if (delay == 0 && heapSize == 0)
            {
                result = delegate.send(channel, buffer, offset, length, destination);
            }
            else
            {
                hold(channel, buffer, offset, length, destination, clock.nanoTime() + delay);
            }
        }
        return result;
    }

    private void hold(
        final int channel,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final InetSocketAddress destination,
        final long releaseNs)
    {
        if (freeCount == 0 || length > slotBuffers[0].capacity())
        {
            overflowed++;
            return;
        }
        final int slot = freeSlots[--freeCount];
        slotBuffers[slot].putBytes(0, buffer, offset, length);
        slotLengths[slot] = length;
        slotChannels[slot] = channel;
        slotDestinations[slot] = destination;
        slotReleaseNs[slot] = releaseNs;
        delayed++;

        int i = heapSize++;
        heap[i] = slot;
        while (i > 0)
        {
            final int parent = (i - 1) >> 1;
            if (slotReleaseNs[heap[parent]] <= slotReleaseNs[heap[i]])
            {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    @Override
    public int doWork(final long nowNs)
    {
        int released = 0;
        final long now = clock.nanoTime();
        while (heapSize > 0 && slotReleaseNs[heap[0]] <= now)
        {
            final int slot = heap[0];
            heap[0] = heap[--heapSize];
            siftDown();
            delegate.send(slotChannels[slot], slotBuffers[slot], 0, slotLengths[slot], slotDestinations[slot]);
            slotDestinations[slot] = null;
            freeSlots[freeCount++] = slot;
            released++;
        }
        return released + delegate.doWork(nowNs);
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
            final int smallest = right < heapSize && slotReleaseNs[heap[right]] < slotReleaseNs[heap[left]] ?
                right : left;
            if (slotReleaseNs[heap[i]] <= slotReleaseNs[heap[smallest]])
            {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(final int a, final int b)
    {
        final int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }

    /** @return datagrams deliberately lost. */
    public long dropped()
    {
        return dropped;
    }

    /** @return datagrams sent twice. */
    public long duplicated()
    {
        return duplicated;
    }

    /** @return datagrams held for a delay. */
    public long delayed()
    {
        return delayed;
    }

    /** @return datagrams lost because the delay pool was full. */
    public long overflowed()
    {
        return overflowed;
    }

    /** @return datagrams waiting for release. */
    public int waiting()
    {
        return heapSize;
    }

    @Override
    public int channelCount()
    {
        return delegate.channelCount();
    }

    @Override
    public InetSocketAddress localAddress(final int channel)
    {
        return delegate.localAddress(channel);
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
