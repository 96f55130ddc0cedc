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
import io.flowcast.engine.record.ServerRecording;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.DelaySensitiveCongestionControl;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import io.flowcast.engine.rtmp.RtmpServer;
import io.flowcast.engine.status.CountersFile;
import io.flowcast.engine.tc.TcServer;
import io.flowcast.recorder.RecorderSettings;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
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
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The composition root of a Flowcast server, like Aeron's {@code MediaDriver}: {@link #launch(Context)} completes
 * and checks a {@link Context} ({@link Context#conclude()}), then builds and starts, in this order, the logging, the
 * counters file with its error log and "errors" counter, the key log, the media server, the recorder, the RFC 7425
 * adapter ({@link TcServer}), the RTMP listener and the RTMFP endpoint. The media server, the adapter, the RTMP
 * listener, any application agents and the counters heartbeat all run on the endpoint's agent thread (an RTMP-only
 * server runs them on an agent thread of its own); one {@link NanoClock} and one {@link EpochClock} from the context
 * drive all of them.
 * <p>
 * Every error an agent or a callback throws goes to one {@link ServerErrorHandler}: counted, recorded in the
 * counters file's error log ({@code flowcast stat} shows both) and logged; the agent carries on.
 * <p>
 * {@link #close()} order: the RTMFP endpoint closes its sessions in order (bounded by
 * {@link Context#closeTimeout}) and stops its agent thread, whose close runs the co-located agents' (RTMP connections
 * and listeners, replays, the adapter; RTMP only: the server's own agent thread stops instead); then the recorder
 * drains its ring into the journal and stops; then the key log closes; then the error handler stops writing and the
 * counters file is unmapped (no thread writes to it any more); last the logging is put back, so every step before can
 * still log.
 */
public final class FlowcastServer implements AutoCloseable
{
    /** Counter type of the "errors" counter. */
    public static final int ERRORS_COUNTER_TYPE_ID = 900;
    /** Label of the counter of every error the server's error handler saw. */
    public static final String ERRORS_COUNTER_LABEL = "errors";

    private final Context context;
    private ServerLogging logging;
    private CountersFile counters;
    private ServerErrorHandler errorHandler;
    private KeyLog.Writer ownKeyLog;
    private MediaServer media;
    private ServerRecording recording;
    private TcServer tc;
    private RtmpServer rtmp;
    private RtmfpEndpoint endpoint;
    private AgentRunner runner;
    private AgentInvoker invoker;
    private boolean closed;

    private FlowcastServer(final Context context)
    {
        this.context = context;
    }

    /**
     * Conclude the context and start the server.
     *
     * @param context the settings; concluded here, and not to be changed afterwards.
     * @return the running server.
     * @throws IllegalStateException         when the context is incomplete or inconsistent (the message names the
     *                                       setting and the fix).
     * @throws UncheckedIOException          when a socket cannot be bound or a file cannot be created.
     */
    public static FlowcastServer launch(final Context context)
    {
        context.conclude();
        final FlowcastServer server = new FlowcastServer(context);
        try
        {
            server.start();
            return server;
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
    }

    private void start()
    {
        final Context c = context;
        if (null != c.logging)
        {
            logging = ServerLogging.apply(c.logging);
        }
        counters = null == c.countersDirectory ?
            CountersFile.inMemory(c.maxCounters, c.errorLogLength, c.epochClock) :
            CountersFile.create(c.countersDirectory, c.maxCounters, c.errorLogLength, c.epochClock);
        final AtomicCounter errors = counters.manager().newCounter(ERRORS_COUNTER_LABEL, ERRORS_COUNTER_TYPE_ID);
        errorHandler = new ServerErrorHandler(counters.errorLog(), errors, c.errorHandler);
        KeyLog.Writer keyLog = c.keyLog;
        if (null == keyLog && null != c.keyLogFile)
        {
            try
            {
                keyLog = ownKeyLog = new KeyLog.Writer(c.keyLogFile);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("logging.keylog = " + c.keyLogFile + ": " + ex.getMessage(), ex);
            }
        }

        media = new MediaServer(c.apps).clock(c.nanoClock).errorHandler(errorHandler);
        if (null != c.mediaListener)
        {
            media.listener(c.mediaListener);
        }
        c.taps.forEach(media::addTap);
        c.providers.forEach(media::addProvider);
        if (null != c.recorder)
        {
            // disk I/O stays on the recorder's own thread: the media thread only offers to its ring
            recording = ServerRecording.start(
                c.recorder, counters.manager(), ServerRecording.DEFAULT_MAX_REPLAYS, errorHandler);
            media.addTap(recording.tap()).addProvider(recording.replayProvider());
        }
        if (c.maxMediaConnections > 0)
        {
            media.maxConnections(c.maxMediaConnections);
        }
        if (c.maxStreams > 0)
        {
            media.maxStreams(c.maxStreams);
        }
        final List<Agent> duty = new ArrayList<>(List.of(media));
        if (c.rtmfpEnabled())
        {
            // RFC 7425: RTMFP sessions become NetConnections of the media server (session events go on to the listener)
            tc = new TcServer(media, c.sessionListener, counters.manager()).fingerprint(c.keying.fingerprint());
            final long keepaliveMs = TimeUnit.NANOSECONDS.toMillis(c.rtmfpContext.keepaliveIntervalNs());
            tc.keepalive(keepaliveMs, keepaliveMs);
            duty.add(tc);
        }
        if (c.rtmpEnabled)
        {
            try
            {
                rtmp = new RtmpServer(media, c.rtmpContext
                    .countersManager(counters.manager()).nanoClock(c.nanoClock).epochClock(c.epochClock));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex.getMessage(), ex);
            }
            duty.add(rtmp);
        }
        duty.addAll(c.agents);
        final ServerAgent agent = new ServerAgent(duty.toArray(new Agent[0]), counters, c.epochClock, errorHandler);
        if (!c.rtmfpEnabled())
        {
            startOwnAgent(agent);
            return;
        }
        final ErrorGuard guard = new ErrorGuard(tc, errorHandler);
        c.rtmfpContext
            .keying(c.keying)
            .listener(guard)
            .flowListener(guard)
            .countersManager(counters.manager())
            .keyLog(keyLog)
            .nanoClock(c.nanoClock)
            .epochClock(c.epochClock)
            .errorHandler(errorHandler)
            .colocatedAgent(agent);
        if (null != c.idleStrategy)
        {
            c.rtmfpContext.idleStrategy(c.idleStrategy);
        }
        endpoint = RtmfpEndpoint.launch(c.rtmfpContext);
        tc.endpoint(endpoint); // the cycle: the adapter closes sessions through the endpoint it listens to
    }

    /** RTMP only: no endpoint to co-locate with, so the server's duty gets a thread (or an invoker) of its own. */
    private void startOwnAgent(final ServerAgent agent)
    {
        if (EndpointContext.Threading.INVOKER == context.rtmfpContext.threading())
        {
            invoker = new AgentInvoker(errorHandler, null, agent);
            invoker.start();
        }
        else
        {
            final IdleStrategy idle = null != context.idleStrategy ? context.idleStrategy : new BackoffIdleStrategy(
                100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            runner = new AgentRunner(idle, errorHandler, null, agent);
            AgentRunner.startOnThread(runner);
        }
    }

    /**
     * In {@link EndpointContext.Threading#INVOKER} mode, one duty cycle of the whole server (the endpoint and every
     * co-located agent), from the application's own loop; call {@link #close()} from that same thread.
     *
     * @return work done, for an idle strategy.
     * @throws IllegalStateException when the server runs its own threads.
     */
    public int doWork()
    {
        if (null != endpoint)
        {
            return endpoint.doWork();
        }
        if (null == invoker)
        {
            throw new IllegalStateException("the server runs its own agent thread; doWork is for INVOKER threading");
        }
        return invoker.invoke();
    }

    /**
     * @return the concluded context.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @return the RTMFP endpoint, or null when RTMFP is off.
     */
    public RtmfpEndpoint endpoint()
    {
        return endpoint;
    }

    /**
     * @return the media server (its state belongs to the agent thread).
     */
    public MediaServer media()
    {
        return media;
    }

    /**
     * @return the RFC 7425 adapter, or null when RTMFP is off.
     */
    public TcServer tc()
    {
        return tc;
    }

    /**
     * @return the RTMP listener, or null when RTMP is off.
     */
    public RtmpServer rtmp()
    {
        return rtmp;
    }

    /**
     * @return the recording, or null when recording is off.
     */
    public ServerRecording recording()
    {
        return recording;
    }

    /**
     * @return the counters file (in memory when no counters directory was given).
     */
    public CountersFile countersFile()
    {
        return counters;
    }

    /**
     * @return the error handler every agent and callback reports to.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * @return errors reported so far (the "errors" counter); -1 once closed (the counters file is gone).
     */
    public long errorCount()
    {
        return errorHandler.errorCount();
    }

    /**
     * @return the bound RTMFP addresses (actual ports).
     */
    public List<InetSocketAddress> rtmfpAddresses()
    {
        return null == endpoint ? List.of() : endpoint.localAddresses();
    }

    /**
     * @return the bound RTMP addresses (actual ports), empty when RTMP is off.
     */
    public List<InetSocketAddress> rtmpAddresses()
    {
        return null == rtmp ? List.of() : rtmp.localAddresses();
    }

    /**
     * @return the server's certificate fingerprint in hex, or null when RTMFP is off.
     */
    public String fingerprintHex()
    {
        return null == context.keying ? null : java.util.HexFormat.of().formatHex(context.keying.fingerprint());
    }

    /**
     * Close everything, in the order the class comment gives. Idempotent; also undoes a failed launch.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != endpoint)
        {
            endpoint.close(context.closeTimeoutNs, TimeUnit.NANOSECONDS); // stops the co-located agents too
        }
        else if (null != runner || null != invoker)
        {
            CloseHelper.quietClose(null != runner ? runner : invoker); // RTMP only: runs the agents' onClose
        }
        else
        {
            CloseHelper.quietClose(rtmp); // the agent never started: its listeners were bound, nothing more
        }
        CloseHelper.quietClose(recording); // the media thread has stopped: drains the ring into the journal
        CloseHelper.quietClose(ownKeyLog);
        if (null != errorHandler)
        {
            errorHandler.close();
        }
        CloseHelper.quietClose(counters);
        CloseHelper.quietClose(logging);
    }

    /**
     * What a server is made of. Build by hand, or from a configuration with {@link #config(FlowcastConfig)} (call it
     * first: later setters override what it set). {@link #conclude()} fills the defaults and refuses what cannot work.
     */
    public static final class Context
    {
        /** Counters the file holds unless told otherwise: the endpoint's ~50 and 4 per session for ~4,000 sessions. */
        public static final int DEFAULT_MAX_COUNTERS = 16_384;
        /** The smallest error log that holds a handful of distinct stack traces. */
        public static final int MIN_ERROR_LOG_LENGTH = 64 * 1024;
        /** How long close waits for far ends to acknowledge Session Close Requests, unless told otherwise. */
        public static final long DEFAULT_CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(3);

        private final EndpointContext rtmfpContext = new EndpointContext();
        private final RtmpServer.Context rtmpContext = new RtmpServer.Context();
        private final List<StreamTap> taps = new ArrayList<>();
        private final List<StreamSourceProvider> providers = new ArrayList<>();
        private final List<Agent> agents = new ArrayList<>();
        private FlowcastConfig config;
        private boolean rtmpEnabled;
        private SessionKeying keying;
        private SecureRandom random;
        private Function<String, AppConfig> apps;
        private SessionListener sessionListener;
        private MediaEventListener mediaListener;
        private Path countersDirectory;
        private int maxCounters = DEFAULT_MAX_COUNTERS;
        private int errorLogLength = CountersFile.DEFAULT_ERROR_LOG_LENGTH;
        private NanoClock nanoClock;
        private EpochClock epochClock;
        private ErrorHandler errorHandler;
        private KeyLog.Writer keyLog;
        private Path keyLogFile;
        private RecorderSettings recorder;
        private LoggingConfig logging;
        private long closeTimeoutNs = DEFAULT_CLOSE_TIMEOUT_NS;
        private IdleStrategy idleStrategy;
        private int maxMediaConnections;
        private int maxStreams;
        private boolean concluded;

        /**
         * Take every server setting of a valid configuration: RTMFP bind addresses and port, threading and idle
         * strategy, limits and flows, identity (loaded or created by {@link #conclude()} from
         * {@code identity.key-file} with the {@code crypto} policy), apps, RTMP, recorder, logging and key log.
         *
         * @param config a valid configuration.
         * @return this.
         */
        public Context config(final FlowcastConfig config)
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
        public static Context fromConfig(final FlowcastConfig config)
        {
            return new Context().config(config);
        }

        /**
         * Complete the defaults and check the settings; {@link FlowcastServer#launch} calls it.
         *
         * @return this.
         * @throws IllegalStateException naming the setting and the fix; or the identity file's problem.
         */
        public Context conclude()
        {
            if (concluded)
            {
                throw new IllegalStateException("FlowcastServer.Context: already concluded; use a new context");
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
            throw new IllegalStateException("FlowcastServer.Context." + setting + ": " + problem);
        }

        /**
         * @param address a UDP address for the RTMFP endpoint (repeatable; port 0: any free port). RTMFP runs only
         *                when at least one is given (or {@link #rtmfpContext()} has a transport).
         * @return this.
         */
        public Context rtmfpBind(final InetSocketAddress address)
        {
            rtmfpContext.bind(address);
            return this;
        }

        /**
         * @param address a TCP address for the RTMP listener (repeatable; port 0: any free port). RTMP runs only
         *                when at least one is given.
         * @return this.
         */
        public Context rtmpBind(final InetSocketAddress address)
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
        public Context keying(final SessionKeying keying)
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
        public Context random(final SecureRandom random)
        {
            this.random = random;
            return this;
        }

        /**
         * @param apps the settings of an app by name; default: every app open to everyone, as the built-in defaults.
         * @return this.
         */
        public Context apps(final Function<String, AppConfig> apps)
        {
            this.apps = apps;
            return this;
        }

        /**
         * @param listener RTMFP session events, on the agent thread, after the server's own handling; what it throws
         *                 is reported to the error handler.
         * @return this.
         */
        public Context sessionListener(final SessionListener listener)
        {
            this.sessionListener = listener;
            return this;
        }

        /**
         * @param listener media events (connect, publish, play...), on the agent thread; what it throws is reported.
         * @return this.
         */
        public Context mediaListener(final MediaEventListener listener)
        {
            this.mediaListener = listener;
            return this;
        }

        /**
         * @param tap sees every published message, on the agent thread (repeatable).
         * @return this.
         */
        public Context tap(final StreamTap tap)
        {
            taps.add(Objects.requireNonNull(tap));
            return this;
        }

        /**
         * @param provider asked for streams that are not live (repeatable).
         * @return this.
         */
        public Context provider(final StreamSourceProvider provider)
        {
            providers.add(Objects.requireNonNull(provider));
            return this;
        }

        /**
         * @param agent application logic to run on the server's agent thread each duty cycle (repeatable); what it
         *              throws is reported and it runs again next cycle.
         * @return this.
         */
        public Context agent(final Agent agent)
        {
            agents.add(Objects.requireNonNull(agent));
            return this;
        }

        /**
         * @param directory where the counters file goes, for {@code flowcast stat}; null (the default): counters and
         *                  the error log in this process's memory only.
         * @return this.
         */
        public Context countersDirectory(final Path directory)
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
        public Context maxCounters(final int maxCounters)
        {
            this.maxCounters = maxCounters;
            return this;
        }

        /**
         * @param bytes error log length (default {@link CountersFile#DEFAULT_ERROR_LOG_LENGTH}).
         * @return this.
         */
        public Context errorLogLength(final int bytes)
        {
            this.errorLogLength = bytes;
            return this;
        }

        /**
         * @param nanoClock the one monotonic clock of every agent; default {@code SystemNanoClock}.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        /**
         * @param epochClock the one wall clock (counters file, error log, RTMP handshake); default
         *                   {@code SystemEpochClock}.
         * @return this.
         */
        public Context epochClock(final EpochClock epochClock)
        {
            this.epochClock = epochClock;
            return this;
        }

        /**
         * @param errorHandler also told of every error, after it is counted, recorded and logged (e.g. tests).
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /**
         * @param keyLog an open session key log the caller owns, or null.
         * @return this.
         */
        public Context keyLog(final KeyLog.Writer keyLog)
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
        public Context keyLogFile(final Path file)
        {
            this.keyLogFile = file;
            return this;
        }

        /**
         * @param recorder what to record, or null (or disabled settings) for no recording.
         * @return this.
         */
        public Context recorder(final RecorderSettings recorder)
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
        public Context logging(final LoggingConfig logging)
        {
            this.logging = logging;
            return this;
        }

        /**
         * @param timeout how long close waits for far ends to acknowledge Session Close Requests.
         * @param unit    of the timeout.
         * @return this.
         */
        public Context closeTimeout(final long timeout, final TimeUnit unit)
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
        public Context idleStrategy(final IdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * @param maxConnections most NetConnections (RTMFP and RTMP) at once; default
         *                       {@link MediaServer#DEFAULT_MAX_CONNECTIONS}.
         * @return this.
         */
        public Context maxMediaConnections(final int maxConnections)
        {
            this.maxMediaConnections = maxConnections;
            return this;
        }

        /**
         * @param maxStreams most streams at once; default {@link MediaServer#DEFAULT_MAX_STREAMS}.
         * @return this.
         */
        public Context maxStreams(final int maxStreams)
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
}
