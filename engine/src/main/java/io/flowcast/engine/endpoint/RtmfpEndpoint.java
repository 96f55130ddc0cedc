package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import io.flowcast.crypto.EndpointDiscriminator;
import io.flowcast.engine.transport.DatagramTransport;
import io.flowcast.engine.transport.UdpTransport;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An RTMFP endpoint (RFC 7016), initiator and responder at once: start it from an {@link EndpointContext}, connect
 * to {@code rtmfp://} URIs or to endpoint discriminators with candidate addresses, accept incoming sessions through
 * the context's {@link SessionListener} (called on the agent thread), close sessions, and close the endpoint.
 * Methods other than {@link #doWork()} may be called from any thread: they reach the agent through a bounded
 * lock-free queue.
 */
public final class RtmfpEndpoint implements AutoCloseable
{
    /** Default UDP port of {@code rtmfp://} URIs. */
    public static final int DEFAULT_PORT = 1935;

    /**
     * The default idle of a SHARED endpoint waits on its sockets 1 ms at a time; after this long with no work at all
     * it waits {@link #IDLE_DEEP_WAIT_NS} instead, so an idle server does not wake a thousand times a second.
     */
    public static final long IDLE_DEEP_AFTER_NS = 50_000_000L;
    /** See {@link #IDLE_DEEP_AFTER_NS}: a datagram still wakes the agent at once; timers may run this much late. */
    public static final long IDLE_DEEP_WAIT_NS = 10_000_000L;

    private final EndpointContext context;
    private final EndpointAgent agent;
    private final EndpointCounters counters;
    private final DatagramTransport transport;
    private final AgentRunner runner;
    private final AgentRunner receiverRunner;
    private final AgentRunner senderRunner;
    private final AgentInvoker invoker;
    private final List<InetSocketAddress> localAddresses;
    private volatile boolean closed;

    private RtmfpEndpoint(final EndpointContext context)
    {
        this.context = context.conclude();
        final DatagramTransport sockets = null != context.transport() ? context.transport() :
            new UdpTransport(context.bindAddresses(), context.maxDatagramLength(), context.socketBufferBytes());
        final CountersManager manager = null != context.countersManager() ? context.countersManager() :
            new CountersManager(
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(256 * CountersManager.METADATA_LENGTH, 64)),
                new UnsafeBuffer(BufferUtil.allocateDirectAligned(256 * CountersManager.COUNTER_LENGTH, 64)),
                StandardCharsets.US_ASCII);
        counters = new EndpointCounters(manager, context.counterPrefix());
        final DedicatedTransport dedicated = EndpointContext.Threading.DEDICATED == context.threading() ?
            new DedicatedTransport(sockets, context.ringSlots(), context.maxDatagramLength(), context.nanoClock()) : null;
        transport = null != dedicated ? dedicated : sockets;
        agent = new EndpointAgent(context, transport, counters, context.nanoClock());
        final List<InetSocketAddress> locals = new ArrayList<>();
        for (int i = 0; i < transport.channelCount(); i++)
        {
            locals.add(transport.localAddress(i));
        }
        localAddresses = Collections.unmodifiableList(locals);
        if (EndpointContext.Threading.INVOKER == context.threading())
        {
            invoker = new AgentInvoker(context.errorHandler(), null, agent);
            invoker.start();
            runner = null;
            receiverRunner = null;
            senderRunner = null;
        }
        else
        {
            invoker = null;
            if (null != dedicated)
            {
                dedicated.counters(counters.receiveRingFull, counters.sendRingFull);
                senderRunner = new AgentRunner(
                    context.idleStrategy(), context.errorHandler(), null, dedicated.sender());
                receiverRunner = new AgentRunner(
                    context.idleStrategy(), context.errorHandler(), null, dedicated.receiver());
                AgentRunner.startOnThread(senderRunner);
                AgentRunner.startOnThread(receiverRunner);
            }
            else
            {
                senderRunner = null;
                receiverRunner = null;
            }
            // by default an idle SHARED agent waits on its sockets (woken by the next datagram) rather than parking
            final org.agrona.concurrent.IdleStrategy idle = context.hasIdleStrategy() || null != dedicated ?
                context.idleStrategy() :
                new io.flowcast.engine.transport.SocketIdleStrategy(transport, 100, 0,
                    TimeUnit.MILLISECONDS.toNanos(1), IDLE_DEEP_WAIT_NS, IDLE_DEEP_AFTER_NS);
            runner = new AgentRunner(idle, context.errorHandler(), null, agent);
            AgentRunner.startOnThread(runner);
        }
    }

    /**
     * Bind the sockets and start the agent (a thread in {@link EndpointContext.Threading#SHARED} mode).
     *
     * @param context the configuration.
     * @return the running endpoint.
     */
    public static RtmfpEndpoint launch(final EndpointContext context)
    {
        return new RtmfpEndpoint(context);
    }

    /**
     * Invoker mode: one duty cycle of the agent, from the application's own loop.
     *
     * @return work done (0 when idle).
     * @throws IllegalStateException when the endpoint runs its own thread.
     */
    public int doWork()
    {
        if (null == invoker)
        {
            throw new IllegalStateException("doWork() is for EndpointContext.Threading.INVOKER");
        }
        return invoker.invoke();
    }

    /**
     * @return the bound local addresses (real ports when bound to port 0).
     */
    public List<InetSocketAddress> localAddresses()
    {
        return localAddresses;
    }

    /**
     * Invoker mode: register this endpoint's sockets for reading with the application's selector, so that a thread
     * driving many endpoints waits on all of them at once and calls {@link #doWork()} for the ready ones (and for all
     * of them every few milliseconds, for their timers).
     *
     * @param selector   the application's selector.
     * @param attachment attached to the keys, e.g. this endpoint.
     * @return false when the transport cannot be selected (a test transport): poll it instead.
     */
    public boolean registerReadable(final java.nio.channels.Selector selector, final Object attachment)
    {
        return transport.registerReadable(selector, attachment);
    }

    /**
     * @return this endpoint's fingerprint (peer ID), 32 bytes.
     */
    public byte[] fingerprint()
    {
        return agent.fingerprint();
    }

    /**
     * @return sessions open now (read from the endpoint's counter).
     */
    public long openSessions()
    {
        return counters.sessionsOpen.get();
    }

    EndpointAgent agent()
    {
        return agent;
    }

    /**
     * @return this endpoint's counters (read them from any thread; only the agent writes them).
     */
    public EndpointCounters counters()
    {
        return counters;
    }

    /**
     * Open a session to an {@code rtmfp://host[:port]/path} URI: the EPD is an Ancillary Data option holding the URI
     * without user info and fragment (RFC 7425 §5.3), the candidates are every address of {@code host}. The name is
     * resolved on the calling thread.
     *
     * @param uri the server URI.
     * @return an opening identifier, reported in {@link Session#openId()} or
     * {@link SessionListener#onOpenFailed(long, CloseReason)}.
     * @throws IllegalArgumentException for a malformed URI or an unknown host.
     */
    public long connect(final String uri)
    {
        final URI parsed = URI.create(uri);
        if (!"rtmfp".equalsIgnoreCase(parsed.getScheme()) || null == parsed.getHost())
        {
            throw new IllegalArgumentException("not an rtmfp://host URI: " + uri);
        }
        final int port = parsed.getPort() < 0 ? DEFAULT_PORT : parsed.getPort();
        final List<InetSocketAddress> candidates = new ArrayList<>();
        try
        {
            final String host = parsed.getHost().startsWith("[") ?
                parsed.getHost().substring(1, parsed.getHost().length() - 1) : parsed.getHost();
            for (final InetAddress address : InetAddress.getAllByName(host))
            {
                candidates.add(new InetSocketAddress(address, port));
            }
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("unknown host in " + uri, ex);
        }
        return connect(uriDiscriminator(uri), candidates);
    }

    /**
     * @param uri an {@code rtmfp://host[:port]/path} URI.
     * @return its Endpoint Discriminator: an Ancillary Data option holding the URI without user info and fragment
     * (RFC 7425 §5.3).
     */
    public static byte[] uriDiscriminator(final String uri)
    {
        final URI parsed = URI.create(uri);
        final StringBuilder epdUri = new StringBuilder("rtmfp://").append(parsed.getHost());
        if (parsed.getPort() >= 0)
        {
            epdUri.append(':').append(parsed.getPort());
        }
        if (null != parsed.getRawPath())
        {
            epdUri.append(parsed.getRawPath());
        }
        if (null != parsed.getRawQuery())
        {
            epdUri.append('?').append(parsed.getRawQuery());
        }
        final byte[] data = epdUri.toString().getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer epd = new UnsafeBuffer(new byte[data.length + 16]);
        final int length = EndpointDiscriminator.encodeAncillaryData(epd, 0, data);
        final byte[] bytes = new byte[length];
        epd.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Open a session to the endpoint with this fingerprint (a Fingerprint EPD, RFC 7425 §4.4) at these addresses.
     *
     * @param fingerprint 32-byte peer ID.
     * @param candidates  addresses to send IHellos to.
     * @return an opening identifier.
     */
    public long connectToFingerprint(final byte[] fingerprint, final List<InetSocketAddress> candidates)
    {
        final UnsafeBuffer epd = new UnsafeBuffer(new byte[EndpointDiscriminator.CANONICAL_LENGTH + 8]);
        final int length = EndpointDiscriminator.encodeFingerprint(epd, 0, fingerprint);
        final byte[] bytes = new byte[length];
        epd.getBytes(0, bytes);
        return connect(bytes, candidates);
    }

    /**
     * Open a session with an arbitrary endpoint discriminator.
     *
     * @param endpointDiscriminator the EPD bytes (option list).
     * @param candidates            candidate addresses (at most 24 are used).
     * @return an opening identifier.
     * @throws IllegalStateException when the command queue is full.
     */
    public long connect(final byte[] endpointDiscriminator, final List<InetSocketAddress> candidates)
    {
        if (candidates.isEmpty())
        {
            throw new IllegalArgumentException("no candidate address");
        }
        final byte[] epd = endpointDiscriminator.clone();
        final List<InetSocketAddress> list = List.copyOf(candidates);
        final java.util.concurrent.CompletableFuture<Long> id = new java.util.concurrent.CompletableFuture<>();
        offer((agent) -> id.complete(agent.connect(epd, list)));
        if (null != invoker)
        {
            // invoker mode: the caller owns the duty cycle; run it until the command was taken
            while (!id.isDone())
            {
                invoker.invoke();
            }
        }
        try
        {
            return id.get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("endpoint agent did not take the connect command", ex);
        }
    }

    /**
     * Take the next session this end accepted as responder, for an application thread that polls rather than
     * handling {@link SessionListener#onSessionOpened} (needs {@link EndpointContext#acceptQueueCapacity(int)}).
     * Only one thread may poll. Use the session's state through {@link #execute(Runnable)}.
     *
     * @return the session, or null when none is waiting.
     */
    public Session pollAccepted()
    {
        return agent.pollAccepted();
    }

    /**
     * Close a session in an orderly way (Session Close Request until acknowledged, §3.5.5), or abandon an opening.
     *
     * @param session the session.
     */
    public void close(final Session session)
    {
        offer((agent) -> session.close());
    }

    /**
     * Send a Ping on an open session (§3.5.4.1); its Ping Reply sets {@link Session#pingRttNanos()} and counts in
     * {@link Session#pingRepliesReceived()}.
     *
     * @param session the session.
     */
    public void ping(final Session session)
    {
        offer((agent) -> session.ping());
    }

    /**
     * Close a session abruptly (Session Close Acknowledgement, §3.5.5).
     *
     * @param session the session.
     */
    public void abort(final Session session)
    {
        offer((agent) -> session.abort(CloseReason.LOCAL_ABORT));
    }

    /**
     * Run a task on the agent thread (e.g. to read session state safely).
     *
     * @param task the task.
     */
    public void execute(final Runnable task)
    {
        offer((agent) -> task.run());
    }

    private void offer(final java.util.function.Consumer<EndpointAgent> command)
    {
        if (closed)
        {
            throw new IllegalStateException("endpoint closed");
        }
        if (!agent.offer(command))
        {
            throw new IllegalStateException("endpoint command queue full");
        }
    }

    /**
     * Close every session in an orderly way, wait up to {@code timeout} for the far ends' acknowledgements, then
     * abort what is left, stop the agent and release the sockets and counters.
     *
     * @param timeout how long to wait for acknowledgements.
     * @param unit    of the timeout.
     */
    public void close(final long timeout, final TimeUnit unit)
    {
        if (closed)
        {
            return;
        }
        offer(EndpointAgent::closeAll);
        // the caller's real time, not the agent's: a virtual clock that nobody advances must not make close() hang
        final org.agrona.concurrent.NanoClock clock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
        final long deadline = clock.nanoTime() + unit.toNanos(timeout);
        final AtomicCounter open = counters.sessionsOpen;
        while (clock.nanoTime() - deadline < 0)
        {
            if (null != invoker)
            {
                invoker.invoke();
            }
            else
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (0 == open.get() && agentIdle())
            {
                break;
            }
        }
        closed = true;
        // the session agent first (its onClose queues Close Acks), then the sender flushes them, then the receiver
        CloseHelper.quietCloseAll(null != runner ? runner : invoker, senderRunner, receiverRunner);
        CloseHelper.quietClose(transport);
        counters.close();
    }

    private boolean agentIdle()
    {
        final java.util.concurrent.CompletableFuture<Integer> count = new java.util.concurrent.CompletableFuture<>();
        if (!agent.offer((agent) -> count.complete(agent.sessionCount() + agent.openingCount())))
        {
            return false;
        }
        if (null != invoker)
        {
            invoker.invoke();
        }
        try
        {
            return 0 == count.get(100, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    /**
     * {@link #close(long, TimeUnit)} waiting up to 2 seconds.
     */
    @Override
    public void close()
    {
        close(2, TimeUnit.SECONDS);
    }
}
