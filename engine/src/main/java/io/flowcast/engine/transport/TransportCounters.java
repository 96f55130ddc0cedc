package io.flowcast.engine.transport;

/**
 * Plain counters of a transport, owned by its polling thread. The engine mirrors them into Agrona counters for
 * other processes to read.
 */
public final class TransportCounters
{
    long datagramsIn;
    long bytesIn;
    long datagramsOut;
    long bytesOut;
    long dropsSendBufferFull;
    long dropsNoRoute;
    long sendErrors;
    long receiveErrors;
    long truncatedIn;

    /** @return datagrams received. */
    public long datagramsIn()
    {
        return datagramsIn;
    }

    /** @return bytes received. */
    public long bytesIn()
    {
        return bytesIn;
    }

    /** @return datagrams sent. */
    public long datagramsOut()
    {
        return datagramsOut;
    }

    /** @return bytes sent. */
    public long bytesOut()
    {
        return bytesOut;
    }

    /** @return datagrams dropped because a socket's send buffer was full. */
    public long dropsSendBufferFull()
    {
        return dropsSendBufferFull;
    }

    /** @return datagrams dropped because no local socket could reach the destination. */
    public long dropsNoRoute()
    {
        return dropsNoRoute;
    }

    /** @return send calls that failed with an I/O error. */
    public long sendErrors()
    {
        return sendErrors;
    }

    /** @return receive calls that failed with an I/O error. */
    public long receiveErrors()
    {
        return receiveErrors;
    }

    /** @return datagrams larger than the receive buffer, dropped. */
    public long truncatedIn()
    {
        return truncatedIn;
    }
}
