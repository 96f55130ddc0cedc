package io.flowcast.cli;

import io.flowcast.config.ConfigProblem;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.IdleStrategyKind;
import io.flowcast.config.ThreadingMode;
import io.flowcast.crypto.KeyLog;
import io.flowcast.engine.ServerIdentity;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.record.ServerRecording;
import io.flowcast.engine.rtmp.RtmpServer;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.tc.TcServer;
import io.flowcast.engine.status.CountersFile;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast server}: runs the RTMFP endpoint on sensible defaults, or as configured, until SIGINT/SIGTERM;
 * then closes every session in an orderly way (bounded wait) and exits.
 */
@Command(name = "server", description = {"Run the Flowcast RTMFP and RTMP server (file < environment < flags).",
    "Prints one JSON line per session opened and closed (event session-open / session-close), and per media event",
    "(connect, reject, publish, play, unpublish, stop, close) with protocol, peer, app and stream."})
final class ServerCommand implements Callable<Integer>
{
    /** How long shutdown waits for far ends to acknowledge Session Close Requests. */
    static final long CLOSE_WAIT_SECONDS = 3;
    /** Counters the file holds: the endpoint's ~50 and 4 per session for the first ~1,000 sessions. */
    static final int COUNTERS_FILE_CAPACITY = 16_384;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--counters-dir", paramLabel = "DIR",
        description = "Directory of the counters file that flowcast stat reads (default: ${DEFAULT-VALUE}).")
    Path countersDirectory = CountersFile.defaultDirectory();

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final ConfigResult result = options.load(options.configFile());
        if (!result.isValid())
        {
            for (final ConfigProblem problem : result.problems())
            {
                err.println(problem.format());
            }
            err.println("flowcast server: not started: fix the configuration (flowcast config check)");
            err.flush();
            return 1;
        }
        final FlowcastConfig config = result.config();

        KeyLog.Writer keyLog = null;
        CountersFile counters = null;
        RtmfpEndpoint endpoint = null;
        RtmpServer rtmp = null;
        ServerRecording recording = null;
        try
        {
            if (config.logging().keylog().isPresent())
            {
                keyLog = new KeyLog.Writer(config.logging().keylog().get());
            }
            final ServerIdentity identity = ServerIdentity.loadOrCreate(config, new SecureRandom());
            counters = CountersFile.create(countersDirectory, COUNTERS_FILE_CAPACITY);
            // the media server, the RTMP listener and the RTMFP endpoint share the endpoint's agent thread
            final MediaServer media = MediaServer.forConfig(config).listener(new MediaEventLog(out));
            if (config.recorder().enabled())
            {
                // disk I/O stays on the recorder's own thread: the media thread only offers to its ring
                recording = ServerRecording.start(config, counters.manager());
                media.addTap(recording.tap()).addProvider(recording.replayProvider());
            }
            // RFC 7425: RTMFP sessions become NetConnections of the media server (session events go on to the log)
            final TcServer tc = new TcServer(media, new SessionEventLog(out), counters.manager());
            Agent mediaDuty = new CompositeAgent(media, tc);
            if (config.rtmp().enabled())
            {
                final RtmpServer.Context rtmpContext = new RtmpServer.Context()
                    .countersManager(counters.manager())
                    .maxConnections(config.rtmp().maxConnections())
                    .stallTimeout(config.rtmp().stallTimeout().toNanos(), TimeUnit.NANOSECONDS);
                for (final InetAddress address : config.rtmp().bindAddresses())
                {
                    rtmpContext.bind(new InetSocketAddress(address, config.rtmp().port()));
                }
                rtmp = new RtmpServer(media, rtmpContext);
                mediaDuty = new CompositeAgent(media, tc, rtmp);
            }
            final EndpointContext context = context(config, identity)
                .listener(tc)
                .flowListener(tc)
                .countersManager(counters.manager())
                .keyLog(keyLog)
                .colocatedAgent(mediaDuty);
            final long keepaliveMs = TimeUnit.NANOSECONDS.toMillis(context.keepaliveIntervalNs());
            tc.keepalive(keepaliveMs, keepaliveMs);
            endpoint = RtmfpEndpoint.launch(context);
            tc.endpoint(endpoint);

            for (final InetSocketAddress address : endpoint.localAddresses())
            {
                out.println("flowcast server: RTMFP on udp " + address);
            }
            if (null != rtmp)
            {
                for (final InetSocketAddress address : rtmp.localAddresses())
                {
                    out.println("flowcast server: RTMP on tcp " + address);
                }
            }
            out.println("flowcast server: fingerprint " + identity.fingerprintHex());
            out.println("flowcast server: counters " + counters.path() + " (flowcast stat)");
            if (null != keyLog)
            {
                out.println("flowcast server: writing session keys to " + keyLog.path() +
                    " (logging.keylog / FLOWCAST_KEYLOG): anyone who reads it can decrypt this server's traffic");
            }
            if (null != recording)
            {
                out.println("flowcast server: recording " + config.recorder().streams() + " to " +
                    config.recorder().directory() + " (replay: play NAME@<epoch-ms> or NAME@start)");
            }
            if (ThreadingMode.INVOKER == config.threading().mode())
            {
                out.println(
                    "flowcast server: threading mode INVOKER needs an application's duty cycle; running SHARED");
            }
            out.flush();

            final Thread hook = new Thread(this::requestStop, "flowcast-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            while (!stop.await(1, TimeUnit.SECONDS))
            {
                counters.heartbeat(System.currentTimeMillis());
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down: the hook is what stopped us
            }
            out.println("flowcast server: closing sessions (up to " + CLOSE_WAIT_SECONDS + " s)");
            out.flush();
            return 0;
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("flowcast server: " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        finally
        {
            if (null != endpoint)
            {
                endpoint.close(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS); // closes the co-located RTMP listener too
            }
            else
            {
                CloseHelper.quietClose(rtmp); // never started
            }
            if (null != recording)
            {
                recording.close(); // after the media thread stopped: drains the ring into the journal
            }
            CloseHelper.quietCloseAll(counters, keyLog);
            stopped.countDown();
        }
    }

    /**
     * Ask the running server to stop, and wait (bounded) until it has closed its sessions.
     */
    void requestStop()
    {
        stop.countDown();
        try
        {
            stopped.await(CLOSE_WAIT_SECONDS + 2, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param config   a valid configuration.
     * @param identity the server's identity.
     * @return the endpoint context it describes.
     */
    static EndpointContext context(final FlowcastConfig config, final ServerIdentity identity)
    {
        final EndpointContext context = new EndpointContext()
            .keying(identity.keying())
            .maxSessions(config.limits().maxSessions())
            .startupPacketsPerSecond(config.limits().startupPacketsPerSecond())
            .sessionBufferBytes(config.limits().sessionBufferBytes())
            .flowBufferBytes(config.limits().flowBufferBytes())
            .measureFlowLatency(config.flows().latencyHistograms()) // ~40 KB per flow: opt-in for servers
            .congestionControl(congestionControl(config.flows()))
            .idleStrategy(idleStrategy(config.threading().idleStrategy()))
            .threading(ThreadingMode.DEDICATED == config.threading().mode() ?
                EndpointContext.Threading.DEDICATED : EndpointContext.Threading.SHARED);
        for (final InetAddress address : config.rtmfp().bindAddresses())
        {
            context.bind(new InetSocketAddress(address, config.rtmfp().port()));
        }
        return context;
    }

    static java.util.function.Supplier<io.flowcast.engine.cc.CongestionControl> congestionControl(
        final io.flowcast.config.FlowsConfig flows)
    {
        switch (flows.congestionControl())
        {
            case DELAY:
                final long targetMs = Math.max(1, flows.delayTarget().toMillis());
                return () -> new io.flowcast.engine.cc.DelaySensitiveCongestionControl(targetMs);
            case FIXED:
                final long window = flows.fixedWindowBytes();
                return () -> new io.flowcast.engine.cc.FixedWindowCongestionControl(window);
            default:
                return io.flowcast.engine.cc.RfcCongestionControl::new;
        }
    }

    static IdleStrategy idleStrategy(final IdleStrategyKind kind)
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
                return null; // the endpoint's own back-off, which waits on its sockets (SocketIdleStrategy)
        }
    }
}
