package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;

/**
 * Sees every datagram sent into an {@link InMemoryNetwork}, on the sending thread, with its virtual send time and
 * what the network did with it. A test can decode it (with the session keys of a key log) to check what endpoints
 * put on the wire: acknowledgements, retransmissions, pings, close chunks, and when.
 */
@FunctionalInterface
public interface DatagramTap
{
    /** Queued for delivery at {@code releaseNs}. */
    int QUEUED = 0;
    /** The second copy of a duplicated datagram, queued for delivery at {@code releaseNs}. */
    int DUPLICATE = 1;
    /** Lost at random ({@link LinkSchedule#loss(double)}). */
    int LOST = 2;
    /** Dropped because the link's {@link LinkSchedule#drop} predicate chose its index. */
    int DROPPED_CHOSEN = 3;
    /** Dropped because the link is {@link LinkSchedule#blackhole(boolean) blackholed} (a partition). */
    int BLACKHOLED = 4;
    /** Dropped because the link's bottleneck queue was full ({@link LinkSchedule#bandwidth(long, int)}). */
    int QUEUE_FULL = 5;
    /** Dropped because the receiving transport had no free slot (its receive buffer was full). */
    int RECEIVER_FULL = 6;
    /** No transport has the destination address; the datagram went nowhere, as UDP to a closed port. */
    int NO_ROUTE = 7;

    /**
     * @param sendNs      the network clock when it was sent.
     * @param releaseNs   when it becomes readable at the destination, or -1 when it is not delivered.
     * @param source      the sending transport's local address.
     * @param destination where it was sent.
     * @param buffer      holding the datagram (the sender's buffer: read it, copy it, never keep it).
     * @param offset      of its first byte.
     * @param length      of the datagram.
     * @param fate        {@link #QUEUED}, {@link #DUPLICATE}, or the reason it was dropped.
     */
    void onDatagram(
        long sendNs,
        long releaseNs,
        InetSocketAddress source,
        InetSocketAddress destination,
        DirectBuffer buffer,
        int offset,
        int length,
        int fate);

    /**
     * @param fate a fate code.
     * @return its name, for messages.
     */
    static String fateName(final int fate)
    {
        switch (fate)
        {
            case QUEUED:
                return "QUEUED";
            case DUPLICATE:
                return "DUPLICATE";
            case LOST:
                return "LOST";
            case DROPPED_CHOSEN:
                return "DROPPED_CHOSEN";
            case BLACKHOLED:
                return "BLACKHOLED";
            case QUEUE_FULL:
                return "QUEUE_FULL";
            case RECEIVER_FULL:
                return "RECEIVER_FULL";
            case NO_ROUTE:
                return "NO_ROUTE";
            default:
                return "UNKNOWN(" + fate + ")";
        }
    }
}
