package io.flowcast.engine.server;

import io.flowcast.crypto.KeyLog;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.record.ServerRecording;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.rtmp.RtmpServer;
import io.flowcast.engine.status.CountersFile;
import io.flowcast.engine.tc.TcServer;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of a Flowcast server, like Aeron's {@code MediaDriver}: {@link #launch(ServerContext)} completes
 * and checks a {@link ServerContext} ({@link ServerContext#conclude()}), then builds and starts, in this order, the logging, the
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
 * {@link ServerContext#closeTimeout}) and stops its agent thread, whose close runs the co-located agents' (RTMP connections
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

    private final ServerContext context;
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

    private FlowcastServer(final ServerContext context)
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
    public static FlowcastServer launch(final ServerContext context)
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
        final ServerContext c = context;
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
        // the endpoint catches what tc (and the application behind it) throws and hands it to errorHandler
        c.rtmfpContext
            .keying(c.keying)
            .listener(tc)
            .flowListener(tc)
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
    public ServerContext context()
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

}
