package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;

/**
 * A set of local datagram sockets polled by one agent thread. Implementations never block.
 */
public interface DatagramTransport extends AutoCloseable
{
    /** {@link #send}: the datagram went to the socket. */
    int SENT = 1;
    /** {@link #send}: the socket's send buffer was full; the datagram was dropped (UDP semantics) and counted. */
    int DROPPED_BUFFER_FULL = 0;
    /** {@link #send}: the destination cannot be reached from any local socket (e.g. IPv6 with only IPv4 bound). */
    int DROPPED_NO_ROUTE = -1;
    /** {@link #send}: the socket reported an error, counted and logged once per kind. */
    int DROPPED_ERROR = -2;

    /**
     * Receive what is waiting, up to {@code limit} datagrams, without blocking.
     *
     * @param handler called for each datagram.
     * @param limit   most datagrams to deliver in this call, so one busy socket cannot starve the duty cycle.
     * @return datagrams delivered.
     */
    int poll(DatagramHandler handler, int limit);

    /**
     * Send one datagram from the local socket whose address family matches the destination (or {@code channel}).
     *
     * @param channel     index of the local socket to send from, or -1 to pick by address family.
     * @param buffer      holding the datagram.
     * @param offset      of its first byte.
     * @param length      of the datagram.
     * @param destination where to send it.
     * @return {@link #SENT} or one of the {@code DROPPED_} codes.
     */
    int send(int channel, DirectBuffer buffer, int offset, int length, InetSocketAddress destination);

    /**
     * @return number of local sockets.
     */
    int channelCount();

    /**
     * @param channel index of a local socket.
     * @return the address it is bound to (with the real port when bound to port 0).
     */
    InetSocketAddress localAddress(int channel);

    /**
     * Work that is not triggered by receiving, e.g. releasing delayed datagrams in a test transport.
     *
     * @param nowNs the agent's clock.
     * @return work done.
     */
    default int doWork(final long nowNs)
    {
        return 0;
    }

    /**
     * Wait, when the agent has nothing to do, until a datagram may be readable or the time is up. The default parks;
     * socket transports wait on the sockets so that a datagram wakes the agent at once.
     *
     * @param timeoutNs longest wait.
     */
    default void awaitReadable(final long timeoutNs)
    {
        java.util.concurrent.locks.LockSupport.parkNanos(timeoutNs);
    }

    /**
     * Register this transport's sockets for reading with an application's selector, so that one thread driving many
     * invoker-mode endpoints waits on all their sockets at once and polls only the ready ones.
     *
     * @param selector   the application's selector.
     * @param attachment attached to every key.
     * @return false when this transport has no selectable sockets (the caller must poll it).
     */
    default boolean registerReadable(final java.nio.channels.Selector selector, final Object attachment)
    {
        return false;
    }

    @Override
    void close();
}
