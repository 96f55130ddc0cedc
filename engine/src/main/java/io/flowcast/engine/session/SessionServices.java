package io.flowcast.engine.session;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointCounters;

import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.NanoClock;

import java.security.SecureRandom;

/**
 * What the sessions, flows and startup of one endpoint share, all on its agent thread: the duty cycle's cached
 * time, the packet writer, the session timers, the flush queue, counters, configuration and randomness. One per
 * endpoint agent; the agent updates {@link #clock()} once per duty cycle.
 */
public final class SessionServices
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final NanoClock nanoClock;
    private final EndpointContext context;
    private final EndpointCounters counters;
    private final SecureRandom random;
    private final PacketWriter writer;
    private final SessionTimers timers;
    private final FlushQueue flushQueue = new FlushQueue();
    private final ExpandableArrayBuffer assemblyBuffer = new ExpandableArrayBuffer(64 * 1024);
    private SessionOwner owner;

    /**
     * @param context   the endpoint's configuration.
     * @param transport its sockets.
     * @param counters  its counters.
     * @param nanoClock its clock.
     */
    public SessionServices(
        final EndpointContext context, final DatagramTransport transport, final EndpointCounters counters,
        final NanoClock nanoClock)
    {
        this.context = context;
        this.counters = counters;
        this.random = context.random();
        this.nanoClock = nanoClock;
        clock.update(nanoClock.nanoTime());
        this.writer = new PacketWriter(transport, counters, clock, context.keyLog());
        this.timers = new SessionTimers(clock);
    }

    /**
     * @param owner the endpoint that owns the sessions (set once, before any session exists).
     */
    public void owner(final SessionOwner owner)
    {
        this.owner = owner;
    }

    SessionOwner owner()
    {
        return owner;
    }

    /**
     * @return the duty cycle's time (read once per cycle from the context's clock).
     */
    public CachedNanoClock clock()
    {
        return clock;
    }

    /**
     * @return the context's clock itself, for a fresh reading (the round trip of an application Ping).
     */
    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @return the endpoint's configuration.
     */
    public EndpointContext context()
    {
        return context;
    }

    /**
     * @return the endpoint's counters.
     */
    public EndpointCounters counters()
    {
        return counters;
    }

    /**
     * @return the endpoint's randomness (tags, session IDs, nonces).
     */
    public SecureRandom random()
    {
        return random;
    }

    /**
     * @return the packet writer.
     */
    public PacketWriter writer()
    {
        return writer;
    }

    /**
     * @return the session timers.
     */
    public SessionTimers timers()
    {
        return timers;
    }

    /**
     * @return the sessions to flush at the end of the duty cycle.
     */
    public FlushQueue flushQueue()
    {
        return flushQueue;
    }

    /**
     * @return scratch for reassembling a fragmented message before delivery.
     */
    public MutableDirectBuffer assemblyBuffer()
    {
        return assemblyBuffer;
    }

    /**
     * An application listener threw: count it and hand it to the context's error handler (a FlowcastServer's puts it
     * in the error log), so that an application bug does not abandon protocol state half-updated.
     *
     * @param ex what it threw.
     */
    public void listenerFailed(final RuntimeException ex)
    {
        counters.listenerErrors.incrementRelease();
        context.errorHandler().onError(ex);
    }
}
