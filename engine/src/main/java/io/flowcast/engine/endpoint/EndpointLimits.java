package io.flowcast.engine.endpoint;

import java.util.concurrent.TimeUnit;

/**
 * An endpoint's limits and timers, the numeric part of {@link EndpointContext}: how many sessions, openings and
 * startup packets it takes (RFC 7016 §3.5.1), its queues, the timers of §3.5 (open timeout, hello back-off,
 * keepalive, dead peer, close request, near-close and far-close linger, cookie lifetime) and the bounds of its flows
 * (§3.6). Fluent setters that return the context; defaults follow the RFC's recommendations.
 *
 * @param <C> the context type the setters return.
 */
abstract class EndpointLimits<C extends EndpointLimits<C>>
{
    int maxSessions = 10_000;
    int maxOpening = 64;
    int maxSessionsPerAddress = 1024;
    int startupPacketsPerSecond = 10_000;
    int startupPacketsPerSecondPerAddress = 200;
    int commandQueueCapacity = 1024;
    int maxDatagramLength = 8192;
    int socketBufferBytes = 4 << 20;
    long openTimeoutNs = TimeUnit.SECONDS.toNanos(95);
    long helloIntervalNs = TimeUnit.MILLISECONDS.toNanos(1500);
    long keepaliveIntervalNs = TimeUnit.SECONDS.toNanos(10);
    long deadPeerTimeoutNs = TimeUnit.SECONDS.toNanos(60);
    long closeRequestIntervalNs = TimeUnit.SECONDS.toNanos(5);
    long nearCloseTimeoutNs = TimeUnit.SECONDS.toNanos(90);
    long farCloseLingerNs = TimeUnit.SECONDS.toNanos(19);
    long cookieLifetimeSeconds = 120;
    int acceptQueueCapacity;
    int ringSlots = 1024;
    long sessionBufferBytes = 4L << 20;
    long flowBufferBytes = 1L << 20;
    int maxSendFlowsPerSession = 1024;
    int maxReceiveFlowsPerSession = 1024;
    int maxReorderFragments = 16_384;
    int maxMetadataLength = 512;
    boolean measureFlowLatency = true;

    @SuppressWarnings("unchecked")
    private C self()
    {
        return (C)this;
    }

    /**
     * @param maxSessions most sessions (open, opening with keys, closing) at once.
     * @return this.
     */
    public C maxSessions(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        return self();
    }

    /**
     * @return most sessions.
     */
    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * @param maxSessionsPerAddress most sessions one far IP address may hold with this endpoint as responder (a NAT
     *                              may put many peers behind one address; default 1024).
     * @return this.
     */
    public C maxSessionsPerAddress(final int maxSessionsPerAddress)
    {
        this.maxSessionsPerAddress = maxSessionsPerAddress;
        return self();
    }

    /**
     * @return most sessions per far IP address.
     */
    public int maxSessionsPerAddress()
    {
        return maxSessionsPerAddress;
    }

    /**
     * @param maxOpening most initiator openings in progress.
     * @return this.
     */
    public C maxOpening(final int maxOpening)
    {
        this.maxOpening = maxOpening;
        return self();
    }

    /**
     * @return most initiator openings.
     */
    public int maxOpening()
    {
        return maxOpening;
    }

    /**
     * @param startupPacketsPerSecond session-0 (handshake) packets accepted per second; more are dropped and counted.
     * @return this.
     */
    public C startupPacketsPerSecond(final int startupPacketsPerSecond)
    {
        this.startupPacketsPerSecond = startupPacketsPerSecond;
        return self();
    }

    /**
     * @return startup packets per second.
     */
    public int startupPacketsPerSecond()
    {
        return startupPacketsPerSecond;
    }

    /**
     * @param perAddress session-0 (handshake) packets accepted per second from one source IP address (hashed into
     *                   1,024 buckets, so colliding addresses share a budget); default 200.
     * @return this.
     */
    public C startupPacketsPerSecondPerAddress(final int perAddress)
    {
        this.startupPacketsPerSecondPerAddress = perAddress;
        return self();
    }

    /**
     * @return startup packets per second per source address.
     */
    public int startupPacketsPerSecondPerAddress()
    {
        return startupPacketsPerSecondPerAddress;
    }

    /**
     * @param capacity of the queue of commands from application threads (power of two not required).
     * @return this.
     */
    public C commandQueueCapacity(final int capacity)
    {
        this.commandQueueCapacity = capacity;
        return self();
    }

    /**
     * @return command queue capacity.
     */
    public int commandQueueCapacity()
    {
        return commandQueueCapacity;
    }

    /**
     * @param maxDatagramLength largest datagram received; larger ones are dropped by the transport.
     * @return this.
     */
    public C maxDatagramLength(final int maxDatagramLength)
    {
        this.maxDatagramLength = maxDatagramLength;
        return self();
    }

    /**
     * @return largest datagram.
     */
    public int maxDatagramLength()
    {
        return maxDatagramLength;
    }

    /**
     * @param bytes SO_RCVBUF/SO_SNDBUF to ask for (default 4 MiB, which the kernel caps at net.core.rmem_max /
     *              wmem_max: raise those for high rates), 0 for the system default (about 208 KiB on Linux, which a
     *              single fast flow overruns on loopback).
     * @return this.
     */
    public C socketBufferBytes(final int bytes)
    {
        this.socketBufferBytes = bytes;
        return self();
    }

    /**
     * @return socket buffer size.
     */
    public int socketBufferBytes()
    {
        return socketBufferBytes;
    }

    /**
     * @param timeout ultimate open timeout of an initiator's opening (§3.5.1.1.1, default 95 s).
     * @param unit    of the timeout.
     * @return this.
     */
    public C openTimeout(final long timeout, final TimeUnit unit)
    {
        this.openTimeoutNs = unit.toNanos(timeout);
        return self();
    }

    /**
     * @return open timeout in ns.
     */
    public long openTimeoutNs()
    {
        return openTimeoutNs;
    }

    /**
     * @param interval first IHello/IIKeying retransmission interval; it doubles after each attempt (default 1.5 s).
     * @param unit     of the interval.
     * @return this.
     */
    public C helloInterval(final long interval, final TimeUnit unit)
    {
        this.helloIntervalNs = unit.toNanos(interval);
        return self();
    }

    /**
     * @return first hello retransmission interval in ns.
     */
    public long helloIntervalNs()
    {
        return helloIntervalNs;
    }

    /**
     * @param interval send a keepalive Ping when nothing was received for this long (default 10 s).
     * @param unit     of the interval.
     * @return this.
     */
    public C keepaliveInterval(final long interval, final TimeUnit unit)
    {
        this.keepaliveIntervalNs = unit.toNanos(interval);
        return self();
    }

    /**
     * @return keepalive interval in ns.
     */
    public long keepaliveIntervalNs()
    {
        return keepaliveIntervalNs;
    }

    /**
     * @param timeout close a session abruptly when nothing was received for this long (default 60 s).
     * @param unit    of the timeout.
     * @return this.
     */
    public C deadPeerTimeout(final long timeout, final TimeUnit unit)
    {
        this.deadPeerTimeoutNs = unit.toNanos(timeout);
        return self();
    }

    /**
     * @return dead-peer timeout in ns.
     */
    public long deadPeerTimeoutNs()
    {
        return deadPeerTimeoutNs;
    }

    /**
     * @param interval Session Close Request retransmission interval (§3.5.5: 5 s).
     * @param unit     of the interval.
     * @return this.
     */
    public C closeRequestInterval(final long interval, final TimeUnit unit)
    {
        this.closeRequestIntervalNs = unit.toNanos(interval);
        return self();
    }

    /**
     * @return close request interval in ns.
     */
    public long closeRequestIntervalNs()
    {
        return closeRequestIntervalNs;
    }

    /**
     * @param timeout give up an unacknowledged orderly close after this long (§3.5.5: 90 s).
     * @param unit    of the timeout.
     * @return this.
     */
    public C nearCloseTimeout(final long timeout, final TimeUnit unit)
    {
        this.nearCloseTimeoutNs = unit.toNanos(timeout);
        return self();
    }

    /**
     * @return near-close timeout in ns.
     */
    public long nearCloseTimeoutNs()
    {
        return nearCloseTimeoutNs;
    }

    /**
     * @param linger how long a session closed by the far end keeps answering Close Requests (§3.5.5: 19 s).
     * @param unit   of the linger.
     * @return this.
     */
    public C farCloseLinger(final long linger, final TimeUnit unit)
    {
        this.farCloseLingerNs = unit.toNanos(linger);
        return self();
    }

    /**
     * @return far-close linger in ns.
     */
    public long farCloseLingerNs()
    {
        return farCloseLingerNs;
    }

    /**
     * @param seconds lifetime of RHello cookies (§3.5.1.1.2: not less than 95 s).
     * @return this.
     */
    public C cookieLifetimeSeconds(final long seconds)
    {
        this.cookieLifetimeSeconds = seconds;
        return self();
    }

    /**
     * @return cookie lifetime in seconds.
     */
    public long cookieLifetimeSeconds()
    {
        return cookieLifetimeSeconds;
    }

    /**
     * @param capacity when positive, sessions this end responded to are also offered to a queue of this capacity
     *                 that an application thread drains with {@link RtmfpEndpoint#pollAccepted()}; a session that
     *                 finds the queue full is aborted and counted. 0 (default): listener only.
     * @return this.
     */
    public C acceptQueueCapacity(final int capacity)
    {
        this.acceptQueueCapacity = capacity;
        return self();
    }

    /**
     * @return accept queue capacity, 0 for none.
     */
    public int acceptQueueCapacity()
    {
        return acceptQueueCapacity;
    }

    /**
     * @param slots datagram slots in each ring of {@link Threading#DEDICATED} mode (default 1024).
     * @return this.
     */
    public C ringSlots(final int slots)
    {
        this.ringSlots = slots;
        return self();
    }

    /**
     * @return datagram slots per ring.
     */
    public int ringSlots()
    {
        return ringSlots;
    }

    /**
     * @param bytes message bytes all sending flows of one session may hold queued (config
     *              {@code limits.session-buffer-bytes}, default 4 MiB); offers beyond it are back-pressured.
     * @return this.
     */
    public C sessionBufferBytes(final long bytes)
    {
        this.sessionBufferBytes = positive(bytes, "sessionBufferBytes");
        return self();
    }

    /**
     * @return the per-session send buffer bound.
     */
    public long sessionBufferBytes()
    {
        return sessionBufferBytes;
    }

    /**
     * @param bytes each receiving flow's BUFFER_CAPACITY (§3.6.3.5), the receive window it advertises (config
     *              {@code limits.flow-buffer-bytes}, default 1 MiB). Messages larger than this still complete, one
     *              block of window at a time.
     * @return this.
     */
    public C flowBufferBytes(final long bytes)
    {
        this.flowBufferBytes = positive(bytes, "flowBufferBytes");
        return self();
    }

    /**
     * @return each receiving flow's buffer capacity.
     */
    public long flowBufferBytes()
    {
        return flowBufferBytes;
    }

    /**
     * @param flows most sending flows per session (default 1,024).
     * @return this.
     */
    public C maxSendFlowsPerSession(final int flows)
    {
        this.maxSendFlowsPerSession = (int)positive(flows, "maxSendFlowsPerSession");
        return self();
    }

    /**
     * @return most sending flows per session.
     */
    public int maxSendFlowsPerSession()
    {
        return maxSendFlowsPerSession;
    }

    /**
     * @param flows most receiving flows per session, lingering ones included (default 1,024); User Data opening more
     *              is dropped and counted.
     * @return this.
     */
    public C maxReceiveFlowsPerSession(final int flows)
    {
        this.maxReceiveFlowsPerSession = (int)positive(flows, "maxReceiveFlowsPerSession");
        return self();
    }

    /**
     * @return most receiving flows per session.
     */
    public int maxReceiveFlowsPerSession()
    {
        return maxReceiveFlowsPerSession;
    }

    /**
     * @param fragments how far ahead of the oldest undelivered fragment a receiving flow accepts fragments (default
     *                  16,384; also bounds a message's fragment count); beyond it fragments are dropped, counted, and
     *                  resent by the sender later.
     * @return this.
     */
    public C maxReorderFragments(final int fragments)
    {
        this.maxReorderFragments = (int)positive(fragments, "maxReorderFragments");
        return self();
    }

    /**
     * @return the receive reorder span in fragments.
     */
    public int maxReorderFragments()
    {
        return maxReorderFragments;
    }

    /**
     * @param bytes longest per-flow metadata we send (default 512).
     * @return this.
     */
    public C maxMetadataLength(final int bytes)
    {
        this.maxMetadataLength = (int)positive(bytes, "maxMetadataLength");
        return self();
    }

    /**
     * @return longest per-flow metadata we send.
     */
    public int maxMetadataLength()
    {
        return maxMetadataLength;
    }

    /**
     * @param measure record each receiving flow's delivery latency in an HdrHistogram (about 40 KB per flow; on by
     *                default, off for servers with many flows).
     * @return this.
     */
    public C measureFlowLatency(final boolean measure)
    {
        this.measureFlowLatency = measure;
        return self();
    }

    /**
     * @return whether receiving flows record latency.
     */
    public boolean measureFlowLatency()
    {
        return measureFlowLatency;
    }

    private static long positive(final long value, final String name)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
