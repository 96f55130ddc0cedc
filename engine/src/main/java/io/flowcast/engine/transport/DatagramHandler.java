package io.flowcast.engine.transport;

import org.agrona.MutableDirectBuffer;

import java.net.InetSocketAddress;

/**
 * Receives datagrams from a {@link DatagramTransport} on the polling thread. The buffer is the transport's receive
 * buffer: it may be decrypted in place, and is only valid until the handler returns.
 */
@FunctionalInterface
public interface DatagramHandler
{
    /**
     * @param buffer  holding the datagram.
     * @param offset  of its first byte.
     * @param length  of the datagram.
     * @param source  the sender; the JDK reuses this object for consecutive datagrams from the same sender, so
     *                keep it only after checking it against a known address.
     * @param channel index of the local socket it arrived on (see {@link DatagramTransport#localAddress(int)}).
     */
    void onDatagram(MutableDirectBuffer buffer, int offset, int length, InetSocketAddress source, int channel);
}
