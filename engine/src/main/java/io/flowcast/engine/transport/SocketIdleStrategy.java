package io.flowcast.engine.transport;

import org.agrona.concurrent.IdleStrategy;

/**
 * Back-off idling whose last stage waits on the transport's sockets rather than sleeping: spin, then yield, then
 * {@link DatagramTransport#awaitReadable} for up to a millisecond, so an idle agent wakes as soon as a datagram
 * arrives (tens of microseconds) instead of after its park, and still runs its timers every millisecond.
 */
public final class SocketIdleStrategy implements IdleStrategy
{
    private final DatagramTransport transport;
    private final int maxSpins;
    private final int maxYields;
    private final long maxWaitNs;
    private int spins;
    private int yields;

    /**
     * @param transport whose sockets wake the agent.
     * @param maxSpins  idle cycles spent spinning first.
     * @param maxYields then yielding.
     * @param maxWaitNs then waiting on the sockets at most this long per idle cycle.
     */
    public SocketIdleStrategy(
        final DatagramTransport transport, final int maxSpins, final int maxYields, final long maxWaitNs)
    {
        this.transport = transport;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxWaitNs = maxWaitNs;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        if (spins < maxSpins)
        {
            spins++;
            Thread.onSpinWait();
        }
        else if (yields < maxYields)
        {
            yields++;
            Thread.yield();
        }
        else
        {
            transport.awaitReadable(maxWaitNs);
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
    }

    @Override
    public String alias()
    {
        return "socket";
    }
}
