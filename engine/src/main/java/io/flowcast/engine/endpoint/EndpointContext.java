package io.flowcast.engine.endpoint;

import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.startup.StartupObserver;

import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersManager;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything an {@link RtmfpEndpoint} needs, set by the application (or by {@code flowcast server} from a
 * {@code FlowcastConfig}) before {@link RtmfpEndpoint#launch(EndpointContext)}. Fluent setters; defaults follow the
 * RFC 7016 recommendations.
 */
public final class EndpointContext
{
    /** How the endpoint's agent is run. */
    public enum Threading
    {
        /** One agent thread started by the endpoint ({@code AgentRunner}). */
        SHARED,
        /**
         * Three threads: a receiver reading the sockets, the session agent, and a sender writing the sockets, joined
         * by bounded lock-free rings of preallocated datagram slots.
         */
        DEDICATED,
        /** No thread: the application calls {@link RtmfpEndpoint#doWork()} from its own duty cycle. */
        INVOKER
    }

    private final List<InetSocketAddress> bindAddresses = new ArrayList<>();
    private DatagramTransport transport;
    private SessionKeying keying;
    private SecureRandom random;
    private SessionListener listener;
    private org.agrona.concurrent.Agent colocatedAgent;
    private StartupObserver startupObserver;
    private boolean acceptIncoming = true;
    private Threading threading = Threading.SHARED;
    private IdleStrategy idleStrategy;
    private CountersManager countersManager;
    private String counterPrefix = "rtmfp: ";
    private KeyLog.Writer keyLog;
    private int maxSessions = 10_000;
    private int maxOpening = 64;
    private int maxSessionsPerAddress = 1024;
    private int startupPacketsPerSecond = 10_000;
    private int startupPacketsPerSecondPerAddress = 200;
    private int commandQueueCapacity = 1024;
    private int maxDatagramLength = 8192;
    private int socketBufferBytes = 4 << 20;
    private long openTimeoutNs = TimeUnit.SECONDS.toNanos(95);
    private long helloIntervalNs = TimeUnit.MILLISECONDS.toNanos(1500);
    private long keepaliveIntervalNs = TimeUnit.SECONDS.toNanos(10);
    private long deadPeerTimeoutNs = TimeUnit.SECONDS.toNanos(60);
    private long closeRequestIntervalNs = TimeUnit.SECONDS.toNanos(5);
    private long nearCloseTimeoutNs = TimeUnit.SECONDS.toNanos(90);
    private long farCloseLingerNs = TimeUnit.SECONDS.toNanos(19);
    private long cookieLifetimeSeconds = 120;
    private int acceptQueueCapacity;
    private int ringSlots = 1024;
    private ErrorHandler errorHandler;
    private org.agrona.concurrent.NanoClock nanoClock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
    private org.agrona.concurrent.EpochClock epochClock = org.agrona.concurrent.SystemEpochClock.INSTANCE;
    private FlowListener flowListener;
    private ClientBridge clientBridge;
    private java.util.function.Supplier<io.flowcast.engine.cc.CongestionControl> congestionControl =
        io.flowcast.engine.cc.RfcCongestionControl::new;
    private long sessionBufferBytes = 4L << 20;
    private long flowBufferBytes = 1L << 20;
    private int maxSendFlowsPerSession = 1024;
    private int maxReceiveFlowsPerSession = 1024;
    private int maxReorderFragments = 16_384;
    private int maxMetadataLength = 512;
    private boolean measureFlowLatency = true;

    /**
     * @param address a local address to bind (port 0 for any); call once per address (IPv4 and/or IPv6).
     * @return this.
     */
    public EndpointContext bind(final InetSocketAddress address)
    {
        bindAddresses.add(address);
        return this;
    }

    /**
     * @return the addresses to bind.
     */
    public List<InetSocketAddress> bindAddresses()
    {
        return bindAddresses;
    }

    /**
     * @param transport a ready transport to use instead of binding {@link #bindAddresses()} (tests: an
     *                  {@code ImpairedTransport}); the endpoint closes it.
     * @return this.
     */
    public EndpointContext transport(final DatagramTransport transport)
    {
        this.transport = transport;
        return this;
    }

    /**
     * @return the transport given, or null.
     */
    public DatagramTransport transport()
    {
        return transport;
    }

    /**
     * @param keying this endpoint's identity (certificate) and keying policy; required.
     * @return this.
     */
    public EndpointContext keying(final SessionKeying keying)
    {
        this.keying = keying;
        return this;
    }

    /**
     * @return the keying side.
     */
    public SessionKeying keying()
    {
        return keying;
    }

    /**
     * @param random randomness for tags, session IDs and cookies (default: a new {@link SecureRandom}).
     * @return this.
     */
    public EndpointContext random(final SecureRandom random)
    {
        this.random = random;
        return this;
    }

    /**
     * @return the randomness source.
     */
    public SecureRandom random()
    {
        return random;
    }

    /**
     * @param listener session events, called on the agent thread (may be null).
     * @return this.
     */
    public EndpointContext listener(final SessionListener listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * @return the listener, or null.
     */
    public SessionListener listener()
    {
        return listener;
    }

    /**
     * Another duty (for example the RTMP listener or the media server's housekeeping) run on this endpoint's agent
     * thread, after the endpoint's own work in every duty cycle, so that both share one thread and one owner of
     * protocol state (Aeron's shared threading mode). Its {@code onStart}/{@code onClose} run with the endpoint's.
     *
     * @param agent the duty, or null.
     * @return this.
     */
    public EndpointContext colocatedAgent(final org.agrona.concurrent.Agent agent)
    {
        this.colocatedAgent = agent;
        return this;
    }

    /**
     * @return the co-located duty, or null.
     */
    public org.agrona.concurrent.Agent colocatedAgent()
    {
        return colocatedAgent;
    }

    /**
     * @param startupObserver initiator startup steps, called on the agent thread (may be null, the default).
     * @return this.
     */
    public EndpointContext startupObserver(final StartupObserver startupObserver)
    {
        this.startupObserver = startupObserver;
        return this;
    }

    /**
     * @return the startup observer, or null.
     */
    public StartupObserver startupObserver()
    {
        return startupObserver;
    }

    /**
     * @param acceptIncoming true to answer IHellos that select this endpoint (act as responder); default true.
     * @return this.
     */
    public EndpointContext acceptIncoming(final boolean acceptIncoming)
    {
        this.acceptIncoming = acceptIncoming;
        return this;
    }

    /**
     * @return whether the endpoint is a responder too.
     */
    public boolean acceptIncoming()
    {
        return acceptIncoming;
    }

    /**
     * @param threading how the agent runs (default {@link Threading#SHARED}).
     * @return this.
     */
    public EndpointContext threading(final Threading threading)
    {
        this.threading = threading;
        return this;
    }

    /**
     * @return how the agent runs.
     */
    public Threading threading()
    {
        return threading;
    }

    /**
     * @param idleStrategy for the agent thread (default: back-off to 1 ms parks, so an idle endpoint sleeps).
     * @return this.
     */
    public EndpointContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * @return whether the application chose an idle strategy (otherwise a SHARED endpoint waits on its sockets).
     */
    public boolean hasIdleStrategy()
    {
        return null != idleStrategy;
    }

    /**
     * @return the idle strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return null != idleStrategy ? idleStrategy :
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * @param countersManager where the endpoint allocates its counters (e.g. a {@code CountersFile}'s), or null
     *                        for private in-memory counters.
     * @return this.
     */
    public EndpointContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    /**
     * @return the counters manager, or null.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * @param counterPrefix prefix of every counter label (to tell endpoints apart in one counters file).
     * @return this.
     */
    public EndpointContext counterPrefix(final String counterPrefix)
    {
        this.counterPrefix = counterPrefix;
        return this;
    }

    /**
     * @return the counter label prefix.
     */
    public String counterPrefix()
    {
        return counterPrefix;
    }

    /**
     * @param keyLog writer for session keys (debugging; {@code FLOWCAST_KEYLOG}), or null.
     * @return this.
     */
    public EndpointContext keyLog(final KeyLog.Writer keyLog)
    {
        this.keyLog = keyLog;
        return this;
    }

    /**
     * @return the key log writer, or null.
     */
    public KeyLog.Writer keyLog()
    {
        return keyLog;
    }

    /**
     * @param maxSessions most sessions (open, opening with keys, closing) at once.
     * @return this.
     */
    public EndpointContext maxSessions(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        return this;
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
    public EndpointContext maxSessionsPerAddress(final int maxSessionsPerAddress)
    {
        this.maxSessionsPerAddress = maxSessionsPerAddress;
        return this;
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
    public EndpointContext maxOpening(final int maxOpening)
    {
        this.maxOpening = maxOpening;
        return this;
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
    public EndpointContext startupPacketsPerSecond(final int startupPacketsPerSecond)
    {
        this.startupPacketsPerSecond = startupPacketsPerSecond;
        return this;
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
    public EndpointContext startupPacketsPerSecondPerAddress(final int perAddress)
    {
        this.startupPacketsPerSecondPerAddress = perAddress;
        return this;
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
    public EndpointContext commandQueueCapacity(final int capacity)
    {
        this.commandQueueCapacity = capacity;
        return this;
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
    public EndpointContext maxDatagramLength(final int maxDatagramLength)
    {
        this.maxDatagramLength = maxDatagramLength;
        return this;
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
    public EndpointContext socketBufferBytes(final int bytes)
    {
        this.socketBufferBytes = bytes;
        return this;
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
    public EndpointContext openTimeout(final long timeout, final TimeUnit unit)
    {
        this.openTimeoutNs = unit.toNanos(timeout);
        return this;
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
    public EndpointContext helloInterval(final long interval, final TimeUnit unit)
    {
        this.helloIntervalNs = unit.toNanos(interval);
        return this;
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
    public EndpointContext keepaliveInterval(final long interval, final TimeUnit unit)
    {
        this.keepaliveIntervalNs = unit.toNanos(interval);
        return this;
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
    public EndpointContext deadPeerTimeout(final long timeout, final TimeUnit unit)
    {
        this.deadPeerTimeoutNs = unit.toNanos(timeout);
        return this;
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
    public EndpointContext closeRequestInterval(final long interval, final TimeUnit unit)
    {
        this.closeRequestIntervalNs = unit.toNanos(interval);
        return this;
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
    public EndpointContext nearCloseTimeout(final long timeout, final TimeUnit unit)
    {
        this.nearCloseTimeoutNs = unit.toNanos(timeout);
        return this;
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
    public EndpointContext farCloseLinger(final long linger, final TimeUnit unit)
    {
        this.farCloseLingerNs = unit.toNanos(linger);
        return this;
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
    public EndpointContext cookieLifetimeSeconds(final long seconds)
    {
        this.cookieLifetimeSeconds = seconds;
        return this;
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
    public EndpointContext acceptQueueCapacity(final int capacity)
    {
        this.acceptQueueCapacity = capacity;
        return this;
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
    public EndpointContext ringSlots(final int slots)
    {
        this.ringSlots = slots;
        return this;
    }

    /**
     * @return datagram slots per ring.
     */
    public int ringSlots()
    {
        return ringSlots;
    }

    /**
     * @param errorHandler receives anything an agent throws (a bug: bad input is dropped and counted, never thrown);
     *                     default prints the stack trace.
     * @return this.
     */
    public EndpointContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @param listener flow events of every session (new receiving flows, messages, gaps, exceptions), on the agent
     *                 thread; a session's own {@link Session#flowListener} wins. With none, new receiving flows are
     *                 rejected.
     * @return this.
     */
    public EndpointContext flowListener(final FlowListener listener)
    {
        this.flowListener = listener;
        return this;
    }

    /**
     * @param bridge lets application threads offer and poll flows (also install it as {@link #flowListener} for the
     *               receiving side); the agent drains it every duty cycle.
     * @return this.
     */
    public EndpointContext clientBridge(final ClientBridge bridge)
    {
        this.clientBridge = bridge;
        return this;
    }

    /**
     * @return the client bridge, or null.
     */
    public ClientBridge clientBridge()
    {
        return clientBridge;
    }

    /**
     * @return the endpoint-wide flow listener, or null.
     */
    public FlowListener flowListener()
    {
        return flowListener;
    }

    /**
     * @param strategy makes each session's congestion control (§3.5.2); default RFC 7016 Appendix A
     *                 ({@link io.flowcast.engine.cc.RfcCongestionControl}). A flow can have its own
     *                 ({@link FlowOptions#congestionControl}).
     * @return this.
     */
    public EndpointContext congestionControl(
        final java.util.function.Supplier<io.flowcast.engine.cc.CongestionControl> strategy)
    {
        this.congestionControl = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * @return the congestion control factory.
     */
    public java.util.function.Supplier<io.flowcast.engine.cc.CongestionControl> congestionControl()
    {
        return congestionControl;
    }

    /**
     * @param bytes message bytes all sending flows of one session may hold queued (config
     *              {@code limits.session-buffer-bytes}, default 4 MiB); offers beyond it are back-pressured.
     * @return this.
     */
    public EndpointContext sessionBufferBytes(final long bytes)
    {
        this.sessionBufferBytes = positive(bytes, "sessionBufferBytes");
        return this;
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
    public EndpointContext flowBufferBytes(final long bytes)
    {
        this.flowBufferBytes = positive(bytes, "flowBufferBytes");
        return this;
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
    public EndpointContext maxSendFlowsPerSession(final int flows)
    {
        this.maxSendFlowsPerSession = (int)positive(flows, "maxSendFlowsPerSession");
        return this;
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
    public EndpointContext maxReceiveFlowsPerSession(final int flows)
    {
        this.maxReceiveFlowsPerSession = (int)positive(flows, "maxReceiveFlowsPerSession");
        return this;
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
    public EndpointContext maxReorderFragments(final int fragments)
    {
        this.maxReorderFragments = (int)positive(fragments, "maxReorderFragments");
        return this;
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
    public EndpointContext maxMetadataLength(final int bytes)
    {
        this.maxMetadataLength = (int)positive(bytes, "maxMetadataLength");
        return this;
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
    public EndpointContext measureFlowLatency(final boolean measure)
    {
        this.measureFlowLatency = measure;
        return this;
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

    /**
     * The agent's monotonic clock, read once per duty cycle. Tests pass a {@code CachedNanoClock} and advance it, with
     * an in-memory transport, to run endpoints in virtual time.
     *
     * @param nanoClock the clock; default {@code SystemNanoClock}.
     * @return this.
     */
    public EndpointContext nanoClock(final org.agrona.concurrent.NanoClock nanoClock)
    {
        this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
        return this;
    }

    /**
     * @return the agent's monotonic clock.
     */
    public org.agrona.concurrent.NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * Wall-clock time, used only where the protocol needs it (cookie lifetimes).
     *
     * @param epochClock the clock; default {@code SystemEpochClock}.
     * @return this.
     */
    public EndpointContext epochClock(final org.agrona.concurrent.EpochClock epochClock)
    {
        this.epochClock = java.util.Objects.requireNonNull(epochClock, "epochClock");
        return this;
    }

    /**
     * @return the wall clock.
     */
    public org.agrona.concurrent.EpochClock epochClock()
    {
        return epochClock;
    }

    /**
     * @return the error handler.
     */
    public ErrorHandler errorHandler()
    {
        return null != errorHandler ? errorHandler : Throwable::printStackTrace;
    }

    EndpointContext conclude()
    {
        if (null == keying)
        {
            throw new IllegalStateException("keying (the endpoint's certificate) is required");
        }
        if (null == transport && bindAddresses.isEmpty())
        {
            throw new IllegalStateException("no bind address and no transport");
        }
        if (null == random)
        {
            random = new SecureRandom();
        }
        if (maxSessions < 1 || maxOpening < 1 || maxSessionsPerAddress < 1 || startupPacketsPerSecond < 1 ||
            startupPacketsPerSecondPerAddress < 1 ||
            commandQueueCapacity < 2)
        {
            throw new IllegalStateException("limits must be positive");
        }
        return this;
    }
}
