package io.flowcast.engine.transport;

import org.agrona.concurrent.IdleStrategy;

/**
 * Back-off idling whose last stage waits on the transport's sockets rather than sleeping: spin, then yield, then
 * {@link DatagramTransport#awaitReadable} for up to a millisecond, so an idle agent wakes as soon as a datagram
 * arrives (tens of microseconds) instead of after its park, and still runs its timers every millisecond. After a
 * long stretch with no work at all (an idle server) the wait grows to a deeper one, e.g. 10 ms: a datagram still
 * wakes it at once, only timers and the co-located agents' sockets (RTMP) may then run up to that much late, and an
 * idle server stops waking a thousand times a second.
 */
public final class SocketIdleStrategy implements IdleStrategy
{
    private final DatagramTransport transport;
    private final int maxSpins;
    private final int maxYields;
    private final long maxWaitNs;
    private final long deepWaitNs;
    private final long deepAfterWaits;
    private int spins;
    private int yields;
    private long waits;

    /**
     * @param transport whose sockets wake the agent.
     * @param maxSpins  idle cycles spent spinning first.
     * @param maxYields then yielding.
     * @param maxWaitNs then waiting on the sockets at most this long per idle cycle.
     */
    public SocketIdleStrategy(
        final DatagramTransport transport, final int maxSpins, final int maxYields, final long maxWaitNs)
    {
        this(transport, maxSpins, maxYields, maxWaitNs, maxWaitNs, Long.MAX_VALUE);
    }

    /**
     * @param transport   whose sockets wake the agent.
     * @param maxSpins    idle cycles spent spinning first.
     * @param maxYields   then yielding.
     * @param maxWaitNs   then waiting on the sockets at most this long per idle cycle.
     * @param deepWaitNs  the wait once the agent has been idle for {@code deepAfterNs}.
     * @param deepAfterNs how long with no work (counted in waits of {@code maxWaitNs}) before the deeper wait.
     */
    public SocketIdleStrategy(
        final DatagramTransport transport,
        final int maxSpins,
        final int maxYields,
        final long maxWaitNs,
        final long deepWaitNs,
        final long deepAfterNs)
    {
        this.transport = transport;
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.maxWaitNs = maxWaitNs;
        this.deepWaitNs = Math.max(maxWaitNs, deepWaitNs);
        this.deepAfterWaits = Long.MAX_VALUE == deepAfterNs ? Long.MAX_VALUE : Math.max(1, deepAfterNs / maxWaitNs);
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
            transport.awaitReadable(++waits > deepAfterWaits ? deepWaitNs : maxWaitNs);
        }
    }

    @Override
    public void reset()
    {
        spins = 0;
        yields = 0;
        waits = 0;
    }

    @Override
    public String alias()
    {
        return "socket";
    }
}
