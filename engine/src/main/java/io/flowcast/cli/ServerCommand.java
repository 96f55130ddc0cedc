package io.flowcast.cli;

import io.flowcast.config.ConfigProblem;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.ThreadingMode;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import io.flowcast.engine.status.CountersFile;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast server}: loads the configuration, launches a {@link FlowcastServer} from it (the composition root
 * lives in the engine, not here), prints what it bound, and runs until SIGINT/SIGTERM; then closes every session in
 * an orderly way (bounded wait) and exits.
 */
@Command(name = "server", description = {"Run the Flowcast RTMFP and RTMP server (file < environment < flags).",
    "Prints one JSON line per session opened and closed (event session-open / session-close), and per media event",
    "(connect, reject, publish, play, unpublish, stop, close) with protocol, peer, app and stream."})
final class ServerCommand implements Callable<Integer>
{
    /** How long shutdown waits for far ends to acknowledge Session Close Requests. */
    static final long CLOSE_WAIT_SECONDS = 3;
    /** Counters the file holds: the endpoint's ~50 and 4 per session for the first ~4,000 sessions. */
    static final int COUNTERS_FILE_CAPACITY = ServerContext.DEFAULT_MAX_COUNTERS;

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
        final ServerContext context = ServerContext.fromConfig(config)
            .countersDirectory(countersDirectory)
            .maxCounters(COUNTERS_FILE_CAPACITY)
            .closeTimeout(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
            .mediaListener(new MediaEventLog(out))
            .sessionListener(new SessionEventLog(out));
        try (FlowcastServer server = FlowcastServer.launch(context))
        {
            try
            {
                printStarted(out, server, config);
                final Thread hook = new Thread(this::requestStop, "flowcast-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                if (ThreadingMode.INVOKER == config.threading().mode())
                {
                    runDutyCycle(server, config); // invoker: this thread is the server's agent thread
                }
                else
                {
                    stop.await();
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
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        catch (final RuntimeException ex)
        {
            err.println("flowcast server: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            stopped.countDown();
        }
    }

    private static void printStarted(final PrintWriter out, final FlowcastServer server, final FlowcastConfig config)
    {
        for (final InetSocketAddress address : server.rtmfpAddresses())
        {
            out.println("flowcast server: RTMFP on udp " + address);
        }
        for (final InetSocketAddress address : server.rtmpAddresses())
        {
            out.println("flowcast server: RTMP on tcp " + address);
        }
        out.println("flowcast server: fingerprint " + server.fingerprintHex());
        out.println("flowcast server: counters " + server.countersFile().path() + " (flowcast stat)");
        if (null != server.context().keyLogFile())
        {
            out.println("flowcast server: writing session keys to " + server.context().keyLogFile() +
                " (logging.keylog / FLOWCAST_KEYLOG): anyone who reads it can decrypt this server's traffic");
        }
        if (null != server.recording())
        {
            out.println("flowcast server: recording " + config.recorder().streams() + " to " +
                config.recorder().directory() + " (replay: play NAME@<epoch-ms> or NAME@start)");
        }
        if (ThreadingMode.INVOKER == config.threading().mode())
        {
            out.println("flowcast server: threading mode INVOKER: this command's thread runs the duty cycle");
        }
        out.flush();
    }

    private void runDutyCycle(final FlowcastServer server, final FlowcastConfig config)
    {
        final IdleStrategy configured = ServerContext.idleStrategy(config.threading().idleStrategy());
        final IdleStrategy idle = null != configured ? configured : new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
        while (stop.getCount() > 0)
        {
            idle.idle(server.doWork());
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
}
