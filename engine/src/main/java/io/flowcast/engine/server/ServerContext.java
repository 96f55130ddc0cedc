package io.flowcast.engine.server;

import io.flowcast.config.AccessRules;
import io.flowcast.config.AppConfig;
import io.flowcast.config.Cidr;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.FlowsConfig;
import io.flowcast.config.IdleStrategyKind;
import io.flowcast.config.LoggingConfig;
import io.flowcast.config.ThreadingMode;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.RecorderSettingsMapping;
import io.flowcast.engine.ServerIdentity;
import io.flowcast.engine.media.MediaEventListener;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.media.StreamSourceProvider;
import io.flowcast.engine.media.StreamTap;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.DelaySensitiveCongestionControl;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import io.flowcast.engine.rtmp.RtmpServer;
import io.flowcast.engine.status.CountersFile;
import io.flowcast.recorder.RecorderSettings;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a server is made of. Build by hand, or from a configuration with {@link #config(FlowcastConfig)} (call it
 * first: later setters override what it set). {@link #conclude()} fills the defaults and refuses what cannot work.
 */
public final class ServerContext
{
    /** Counters the file holds unless told otherwise: the endpoint's ~50 and 4 per session for ~4,000 sessions. */
    public static final int DEFAULT_MAX_COUNTERS = 16_384;
    /** The smallest error log that holds a handful of distinct stack traces. */
    public static final int MIN_ERROR_LOG_LENGTH = 64 * 1024;
    /** How long close waits for far ends to acknowledge Session Close Requests, unless told otherwise. */
    public static final long DEFAULT_CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

    final EndpointContext rtmfpContext = new EndpointContext();
    final RtmpServer.Context rtmpContext = new RtmpServer.Context();
    final List<StreamTap> taps = new ArrayList<>();
    final List<StreamSourceProvider> providers = new ArrayList<>();
    final List<Agent> agents = new ArrayList<>();
    FlowcastConfig config;
    boolean rtmpEnabled;
    SessionKeying keying;
    SecureRandom random;
    Function<String, AppConfig> apps;
    SessionListener sessionListener;
    MediaEventListener mediaListener;
    Path countersDirectory;
    int maxCounters = DEFAULT_MAX_COUNTERS;
    int errorLogLength = CountersFile.DEFAULT_ERROR_LOG_LENGTH;
    NanoClock nanoClock;
    EpochClock epochClock;
    ErrorHandler errorHandler;
    KeyLog.Writer keyLog;
    Path keyLogFile;
    RecorderSettings recorder;
    LoggingConfig logging;
    long closeTimeoutNs = DEFAULT_CLOSE_TIMEOUT_NS;
    IdleStrategy idleStrategy;
    int maxMediaConnections;
    int maxStreams;
    boolean concluded;

    /**
     * Take every server setting of a valid configuration: RTMFP bind addresses and port, threading and idle
     * strategy, limits and flows, identity (loaded or created by {@link #conclude()} from
     * {@code identity.key-file} with the {@code crypto} policy), apps, RTMP, recorder, logging and key log.
     *
     * @param config a valid configuration.
     * @return this.
     */
    public ServerContext config(final FlowcastConfig config)
    {
        this.config = Objects.requireNonNull(config, "config");
        rtmfpContext
            .maxSessions(config.limits().maxSessions())
            .startupPacketsPerSecond(config.limits().startupPacketsPerSecond())
            .sessionBufferBytes(config.limits().sessionBufferBytes())
            .flowBufferBytes(config.limits().flowBufferBytes())
            .measureFlowLatency(config.flows().latencyHistograms()) // ~40 KB per flow: opt-in for servers
            .congestionControl(congestionControl(config.flows()))
            .threading(threading(config.threading().mode()));
        idleStrategy = idleStrategy(config.threading().idleStrategy());
        for (final InetAddress address : config.rtmfp().bindAddresses())
        {
            rtmfpBind(new InetSocketAddress(address, config.rtmfp().port()));
        }
        if (config.rtmp().enabled())
        {
            rtmpContext
                .maxConnections(config.rtmp().maxConnections())
                .stallTimeout(config.rtmp().stallTimeout().toNanos(), TimeUnit.NANOSECONDS);
            for (final InetAddress address : config.rtmp().bindAddresses())
            {
                rtmpBind(new InetSocketAddress(address, config.rtmp().port()));
            }
        }
        apps = config::app;
        recorder = config.recorder().enabled() ? RecorderSettingsMapping.settings(config.recorder()) : null;
        keyLogFile = config.logging().keylog().orElse(null);
        logging = config.logging();
        return this;
    }

    /**
     * @param config a valid configuration.
     * @return a new context with its settings.
     */
    public static ServerContext fromConfig(final FlowcastConfig config)
    {
        return new ServerContext().config(config);
    }

    /**
     * Complete the defaults and check the settings; {@link FlowcastServer#launch} calls it.
     *
     * @return this.
     * @throws IllegalStateException naming the setting and the fix; or the identity file's problem.
     */
    public ServerContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("ServerContext: already concluded; use a new context");
        }
        if (!rtmfpEnabled() && !rtmpEnabled)
        {
            fail("rtmfpBind", "nothing to serve; bind RTMFP (rtmfpBind), RTMP (rtmpBind) or both " +
                "(port 0: any free port)");
        }
        if (null != rtmfpContext.listener() || null != rtmfpContext.flowListener() ||
            null != rtmfpContext.colocatedAgent() || null != rtmfpContext.countersManager() ||
            null != rtmfpContext.keyLog())
        {
            fail("rtmfpContext", "its listener, flow listener, co-located agent, counters and key log are the " +
                "server's; use sessionListener, agent, countersDirectory and keyLog of this context instead");
        }
        if (maxCounters < 64 || errorLogLength < MIN_ERROR_LOG_LENGTH || 0 != (errorLogLength & 7))
        {
            fail("maxCounters/errorLogLength", "at least 64 counters and an error log of at least " +
                MIN_ERROR_LOG_LENGTH + " bytes (a stack trace takes a few KB), a multiple of 8");
        }
        if (closeTimeoutNs < 0)
        {
            fail("closeTimeout", "must be 0 or more");
        }
        if (null != recorder && !recorder.enabled())
        {
            recorder = null;
        }
        if (null == random)
        {
            random = new SecureRandom();
        }
        if (null == keying && rtmfpEnabled())
        {
            if (null == config)
            {
                fail("keying", "no server identity; give keying(SessionKeying) or config(FlowcastConfig), " +
                    "whose identity.key-file holds it");
            }
            keying = ServerIdentity.loadOrCreate(config, random).keying();
        }
        if (null == apps)
        {
            apps = name -> OPEN_APP;
        }
        if (null == nanoClock)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        if (null == epochClock)
        {
            epochClock = SystemEpochClock.INSTANCE;
        }
        concluded = true;
        return this;
    }

    boolean rtmfpEnabled()
    {
        return !rtmfpContext.bindAddresses().isEmpty() || null != rtmfpContext.transport();
    }

    private static void fail(final String setting, final String problem)
    {
        throw new IllegalStateException("ServerContext." + setting + ": " + problem);
    }

    /**
     * @param address a UDP address for the RTMFP endpoint (repeatable; port 0: any free port). RTMFP runs only
     *                when at least one is given (or {@link #rtmfpContext()} has a transport).
     * @return this.
     */
    public ServerContext rtmfpBind(final InetSocketAddress address)
    {
        rtmfpContext.bind(address);
        return this;
    }

    /**
     * @param address a TCP address for the RTMP listener (repeatable; port 0: any free port). RTMP runs only
     *                when at least one is given.
     * @return this.
     */
    public ServerContext rtmpBind(final InetSocketAddress address)
    {
        rtmpContext.bind(address);
        rtmpEnabled = true;
        return this;
    }

    /**
     * @return the RTMFP endpoint's settings to tune (limits, timers, threading, idle strategy, socket buffers);
     * its listeners, co-located agent, counters, key log, keying, clocks and error handler are set by the server.
     */
    public EndpointContext rtmfpContext()
    {
        return rtmfpContext;
    }

    /**
     * @return the RTMP listener's settings to tune; its counters and clocks are set by the server.
     */
    public RtmpServer.Context rtmpContext()
    {
        return rtmpContext;
    }

    /**
     * @param keying the server's certificate and crypto policy (else loaded from the configuration's identity).
     * @return this.
     */
    public ServerContext keying(final SessionKeying keying)
    {
        this.keying = keying;
        return this;
    }

    /**
     * @return the keying (after {@link #conclude()}: never null).
     */
    public SessionKeying keying()
    {
        return keying;
    }

    /**
     * @param random randomness for a new identity file; default a new {@link SecureRandom}.
     * @return this.
     */
    public ServerContext random(final SecureRandom random)
    {
        this.random = random;
        return this;
    }

    /**
     * @param apps the settings of an app by name; default: every app open to everyone, as the built-in defaults.
     * @return this.
     */
    public ServerContext apps(final Function<String, AppConfig> apps)
    {
        this.apps = apps;
        return this;
    }

    /**
     * @param listener RTMFP session events, on the agent thread, after the server's own handling; what it throws
     *                 is reported to the error handler.
     * @return this.
     */
    public ServerContext sessionListener(final SessionListener listener)
    {
        this.sessionListener = listener;
        return this;
    }

    /**
     * @param listener media events (connect, publish, play...), on the agent thread; what it throws is reported.
     * @return this.
     */
    public ServerContext mediaListener(final MediaEventListener listener)
    {
        this.mediaListener = listener;
        return this;
    }

    /**
     * @param tap sees every published message, on the agent thread (repeatable).
     * @return this.
     */
    public ServerContext tap(final StreamTap tap)
    {
        taps.add(Objects.requireNonNull(tap));
        return this;
    }

    /**
     * @param provider asked for streams that are not live (repeatable).
     * @return this.
     */
    public ServerContext provider(final StreamSourceProvider provider)
    {
        providers.add(Objects.requireNonNull(provider));
        return this;
    }

    /**
     * @param agent application logic to run on the server's agent thread each duty cycle (repeatable); what it
     *              throws is reported and it runs again next cycle.
     * @return this.
     */
    public ServerContext agent(final Agent agent)
    {
        agents.add(Objects.requireNonNull(agent));
        return this;
    }

    /**
     * @param directory where the counters file goes, for {@code flowcast stat}; null (the default): counters and
     *                  the error log in this process's memory only.
     * @return this.
     */
    public ServerContext countersDirectory(final Path directory)
    {
        this.countersDirectory = directory;
        return this;
    }

    /**
     * @return the counters directory, or null.
     */
    public Path countersDirectory()
    {
        return countersDirectory;
    }

    /**
     * @param maxCounters how many counters the file holds (default {@value #DEFAULT_MAX_COUNTERS}).
     * @return this.
     */
    public ServerContext maxCounters(final int maxCounters)
    {
        this.maxCounters = maxCounters;
        return this;
    }

    /**
     * @param bytes error log length (default {@link CountersFile#DEFAULT_ERROR_LOG_LENGTH}).
     * @return this.
     */
    public ServerContext errorLogLength(final int bytes)
    {
        this.errorLogLength = bytes;
        return this;
    }

    /**
     * @param nanoClock the one monotonic clock of every agent; default {@code SystemNanoClock}.
     * @return this.
     */
    public ServerContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    /**
     * @param epochClock the one wall clock (counters file, error log, RTMP handshake); default
     *                   {@code SystemEpochClock}.
     * @return this.
     */
    public ServerContext epochClock(final EpochClock epochClock)
    {
        this.epochClock = epochClock;
        return this;
    }

    /**
     * @param errorHandler also told of every error, after it is counted, recorded and logged (e.g. tests).
     * @return this.
     */
    public ServerContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * @param keyLog an open session key log the caller owns, or null.
     * @return this.
     */
    public ServerContext keyLog(final KeyLog.Writer keyLog)
    {
        this.keyLog = keyLog;
        return this;
    }

    /**
     * @return the key log file the server opens (and closes), or null.
     */
    public Path keyLogFile()
    {
        return keyLogFile;
    }

    /**
     * @param file where the server appends session keys ({@code logging.keylog}), or null for none.
     * @return this.
     */
    public ServerContext keyLogFile(final Path file)
    {
        this.keyLogFile = file;
        return this;
    }

    /**
     * @param recorder what to record, or null (or disabled settings) for no recording.
     * @return this.
     */
    public ServerContext recorder(final RecorderSettings recorder)
    {
        this.recorder = recorder;
        return this;
    }

    /**
     * @return the recorder settings, or null when recording is off.
     */
    public RecorderSettings recorder()
    {
        return recorder;
    }

    /**
     * @param logging level and file applied to the {@code io.flowcast} loggers while the server runs, or null to
     *                leave logging alone (the default for a context built by hand). Logging is process-wide: give
     *                it to one server of a process.
     * @return this.
     */
    public ServerContext logging(final LoggingConfig logging)
    {
        this.logging = logging;
        return this;
    }

    /**
     * @param timeout how long close waits for far ends to acknowledge Session Close Requests.
     * @param unit    of the timeout.
     * @return this.
     */
    public ServerContext closeTimeout(final long timeout, final TimeUnit unit)
    {
        this.closeTimeoutNs = unit.toNanos(timeout);
        return this;
    }

    /**
     * @return the close timeout in nanoseconds.
     */
    public long closeTimeoutNs()
    {
        return closeTimeoutNs;
    }

    /**
     * @param idleStrategy what the server's agent thread does when idle; default: the endpoint's own back-off,
     *                     which waits on its sockets (RTMP only: a {@link BackoffIdleStrategy}).
     * @return this.
     */
    public ServerContext idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * @param maxConnections most NetConnections (RTMFP and RTMP) at once; default
     *                       {@link MediaServer#DEFAULT_MAX_CONNECTIONS}.
     * @return this.
     */
    public ServerContext maxMediaConnections(final int maxConnections)
    {
        this.maxMediaConnections = maxConnections;
        return this;
    }

    /**
     * @param maxStreams most streams at once; default {@link MediaServer#DEFAULT_MAX_STREAMS}.
     * @return this.
     */
    public ServerContext maxStreams(final int maxStreams)
    {
        this.maxStreams = maxStreams;
        return this;
    }

    /**
     * @param flows the {@code flows} configuration.
     * @return the congestion control it names, one per session.
     */
    public static Supplier<CongestionControl> congestionControl(final FlowsConfig flows)
    {
        switch (flows.congestionControl())
        {
            case DELAY:
                final long targetMs = Math.max(1, flows.delayTarget().toMillis());
                return () -> new DelaySensitiveCongestionControl(targetMs);
            case FIXED:
                final long window = flows.fixedWindowBytes();
                return () -> new FixedWindowCongestionControl(window);
            default:
                return RfcCongestionControl::new;
        }
    }

    /**
     * @param kind {@code threading.idle-strategy}.
     * @return its idle strategy, or null for the endpoint's own back-off, which waits on its sockets.
     */
    public static IdleStrategy idleStrategy(final IdleStrategyKind kind)
    {
        switch (kind)
        {
            case SLEEPING:
                return new SleepingMillisIdleStrategy(1);
            case YIELDING:
                return new YieldingIdleStrategy();
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case NOOP:
                return NoOpIdleStrategy.INSTANCE;
            default:
                return null;
        }
    }

    /**
     * @param mode {@code threading.mode}.
     * @return the endpoint's threading for it ({@code invoker}: the application calls {@link #doWork()}).
     */
    public static EndpointContext.Threading threading(final ThreadingMode mode)
    {
        switch (mode)
        {
            case DEDICATED:
                return EndpointContext.Threading.DEDICATED;
            case INVOKER:
                return EndpointContext.Threading.INVOKER;
            default:
                return EndpointContext.Threading.SHARED;
        }
    }

    /** Every app open to everyone, as the built-in {@code app-defaults}. */
    static final AppConfig OPEN_APP = openApp();

    private static AppConfig openApp()
    {
        final List<Cidr> all = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        return new AppConfig("*", List.of(), new AccessRules(all, List.of()), new AccessRules(all, List.of()),
            Duration.ofMillis(2200), Duration.ofSeconds(2));
    }
}
