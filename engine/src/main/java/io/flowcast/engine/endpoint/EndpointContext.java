package io.flowcast.engine.endpoint;

import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.startup.StartupObserver;
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
public final class EndpointContext extends EndpointLimits<EndpointContext>
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
    private ErrorHandler errorHandler;
    private org.agrona.concurrent.NanoClock nanoClock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
    private org.agrona.concurrent.EpochClock epochClock = org.agrona.concurrent.SystemEpochClock.INSTANCE;
    private FlowListener flowListener;
    private ClientBridge clientBridge;
    private java.util.function.Supplier<io.flowcast.engine.cc.CongestionControl> congestionControl =
        io.flowcast.engine.cc.RfcCongestionControl::new;

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
     * @param errorHandler receives anything an agent throws (a bug: bad input is dropped and counted, never thrown);
     *                     default logs it (java.util.logging, SEVERE).
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
        return null != errorHandler ? errorHandler : EndpointContext::logError;
    }

    /** The default error handler: an agent's error goes to this package's logger (a FlowcastServer counts it too). */
    private static void logError(final Throwable error)
    {
        java.util.logging.Logger.getLogger(EndpointContext.class.getName())
            .log(java.util.logging.Level.SEVERE, "endpoint agent error", error);
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
