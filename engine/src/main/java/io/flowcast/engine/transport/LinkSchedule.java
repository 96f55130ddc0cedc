package io.flowcast.engine.transport;

import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * What one direction of an {@link InMemoryNetwork} link (from one transport to another) does to the datagrams sent
 * over it, decided in this order for each datagram (numbered from 0 on this link, {@link #sent()}):
 * <ol>
 *   <li>{@link #blackhole(boolean) blackholed}: dropped (a partition, for dead-peer tests);</li>
 *   <li>{@link #drop(LongPredicate) chosen}: dropped when the predicate accepts its index;</li>
 *   <li>{@link #loss(double) random loss};</li>
 *   <li>{@link #duplicate(double) duplication}: a second copy follows;</li>
 *   <li>each copy: the {@link #bandwidth(long, int) bottleneck} (serialization behind what is queued, drop-tail when
 *   the queue is full), then {@link #delay(long) delay} plus uniform {@link #jitter(long) jitter} (which
 *   reorders).</li>
 * </ol>
 * Random choices come from the link's own seeded generator and are drawn only for the impairments that are on, so a
 * seed replays the same schedule for the same sequence of sends. Settings may change at any time (between duty cycles),
 * e.g. to start a partition mid-test. Owned by the thread that drives the network; counters are plain fields.
 */
public final class LinkSchedule
{
    private SplittableRandom random;
    private double lossProbability;
    private double duplicateProbability;
    private long delayNs;
    private long jitterNs;
    private LongPredicate dropChosen;
    private boolean blackhole;
    private long bytesPerSecond;
    private int queueBytes;

    long busyUntilNs = Long.MIN_VALUE;
    long sendIndex;
    private long lost;
    private long chosenDropped;
    private long blackholed;
    private long duplicated;
    private long queueDropped;
    private long queued;

    LinkSchedule(final long seed)
    {
        random = new SplittableRandom(seed);
    }

    /**
     * @param seed restarts the link's random choices from this seed.
     * @return this.
     */
    public LinkSchedule seed(final long seed)
    {
        random = new SplittableRandom(seed);
        return this;
    }

    /**
     * @param probability that a datagram is lost, 0..1.
     * @return this.
     */
    public LinkSchedule loss(final double probability)
    {
        lossProbability = probability(probability);
        return this;
    }

    /**
     * @param probability that a datagram is delivered twice, 0..1.
     * @return this.
     */
    public LinkSchedule duplicate(final double probability)
    {
        duplicateProbability = probability(probability);
        return this;
    }

    /**
     * @param nanos one-way delay added to every datagram.
     * @return this.
     */
    public LinkSchedule delay(final long nanos)
    {
        delayNs = nonNegative(nanos, "delay");
        return this;
    }

    /**
     * @param nanos extra delay drawn uniformly in 0..nanos per copy; non-zero jitter reorders.
     * @return this.
     */
    public LinkSchedule jitter(final long nanos)
    {
        jitterNs = nonNegative(nanos, "jitter");
        return this;
    }

    /**
     * @param chosen drops the datagrams whose 0-based index on this link it accepts (null: none).
     * @return this.
     */
    public LinkSchedule drop(final LongPredicate chosen)
    {
        dropChosen = chosen;
        return this;
    }

    /**
     * @param on true to drop everything sent over the link from now on (a partition), false to heal it.
     * @return this.
     */
    public LinkSchedule blackhole(final boolean on)
    {
        blackhole = on;
        return this;
    }

    /**
     * A bottleneck: each datagram takes {@code length / bytesPerSecond} to leave, after those still queued; one that
     * would make the queue hold more than {@code queueBytes} is dropped (drop-tail), as a router would.
     *
     * @param bytesPerSecond link rate, 0 for unlimited.
     * @param queueBytes     bytes that may wait to be serialized.
     * @return this.
     */
    public LinkSchedule bandwidth(final long bytesPerSecond, final int queueBytes)
    {
        this.bytesPerSecond = nonNegative(bytesPerSecond, "bandwidth");
        this.queueBytes = (int)nonNegative(queueBytes, "queue bytes");
        return this;
    }

    /**
     * No impairment at all (the seed's generator carries on).
     *
     * @return this.
     */
    public LinkSchedule clear()
    {
        lossProbability = 0;
        duplicateProbability = 0;
        delayNs = 0;
        jitterNs = 0;
        dropChosen = null;
        blackhole = false;
        bytesPerSecond = 0;
        queueBytes = 0;
        return this;
    }

    /** Decide the first part of a datagram's fate: {@link DatagramTap#QUEUED} or a drop reason. */
    int admit()
    {
        final long index = sendIndex++;
        if (blackhole)
        {
            blackholed++;
            return DatagramTap.BLACKHOLED;
        }
        if (null != dropChosen && dropChosen.test(index))
        {
            chosenDropped++;
            return DatagramTap.DROPPED_CHOSEN;
        }
        if (lossProbability > 0 && random.nextDouble() < lossProbability)
        {
            lost++;
            return DatagramTap.LOST;
        }
        return DatagramTap.QUEUED;
    }

    /** @return 2 when this admitted datagram is duplicated, else 1. */
    int copies()
    {
        if (duplicateProbability > 0 && random.nextDouble() < duplicateProbability)
        {
            duplicated++;
            return 2;
        }
        return 1;
    }

    /**
     * @return when a copy of {@code length} bytes sent at {@code nowNs} arrives, or -1 when the bottleneck's queue is
     * full.
     */
    long releaseTime(final long nowNs, final int length)
    {
        long departNs = nowNs;
        if (bytesPerSecond > 0)
        {
            final long startNs = Math.max(nowNs, busyUntilNs);
            final long backlogBytes = (startNs - nowNs) * bytesPerSecond / 1_000_000_000L;
            if (backlogBytes + length > queueBytes)
            {
                queueDropped++;
                return -1;
            }
            departNs = startNs + (length * 1_000_000_000L + bytesPerSecond - 1) / bytesPerSecond;
            busyUntilNs = departNs;
        }
        final long jitter = jitterNs > 0 ? random.nextLong(jitterNs + 1) : 0;
        return departNs + delayNs + jitter;
    }

    void countQueued()
    {
        queued++;
    }

    /** @return datagrams offered to this link. */
    public long sent()
    {
        return sendIndex;
    }

    /** @return copies queued for delivery (duplicates included, receiver-full drops excluded). */
    public long queued()
    {
        return queued;
    }

    /** @return datagrams lost at random. */
    public long lost()
    {
        return lost;
    }

    /** @return datagrams dropped by the chosen-drop predicate. */
    public long chosenDropped()
    {
        return chosenDropped;
    }

    /** @return datagrams dropped while blackholed. */
    public long blackholed()
    {
        return blackholed;
    }

    /** @return datagrams sent twice. */
    public long duplicated()
    {
        return duplicated;
    }

    /** @return copies dropped because the bottleneck queue was full. */
    public long queueDropped()
    {
        return queueDropped;
    }

    /** @return whether the link is blackholed now. */
    public boolean isBlackholed()
    {
        return blackhole;
    }

    @Override
    public String toString()
    {
        return "LinkSchedule{loss=" + lossProbability + ", duplicate=" + duplicateProbability + ", delayNs=" +
            delayNs + ", jitterNs=" + jitterNs + ", bandwidth=" + bytesPerSecond + "B/s, queue=" + queueBytes +
            "B, blackhole=" + blackhole + ", sent=" + sendIndex + ", queued=" + queued + ", lost=" + lost +
            ", chosen=" + chosenDropped + ", blackholed=" + blackholed + ", duplicated=" + duplicated +
            ", queueDropped=" + queueDropped + '}';
    }

    private static double probability(final double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new IllegalArgumentException("probability must be within 0..1: " + p);
        }
        return p;
    }

    private static long nonNegative(final long value, final String what)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(what + " must be >= 0: " + value);
        }
        return value;
    }
}
