package io.flowcast.engine.virtualtime;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.transport.InMemoryNetwork;
import io.flowcast.engine.transport.InMemoryTransport;
import io.flowcast.engine.transport.LinkSchedule;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * RTMFP endpoints in virtual time: every endpoint runs in {@link EndpointContext.Threading#INVOKER} mode on an
 * {@link InMemoryTransport} of one {@link InMemoryNetwork}, all on one {@link VirtualClock}, all driven by the test
 * thread. {@link #step()} runs every endpoint's duty cycle until none has work at this instant (datagrams sent with
 * no delay are answered within it), then moves the clock on by {@link #stepNs()}. {@link #runUntil} bounds each wait by
 * simulated time and the whole run by an iteration cap, so minutes of protocol time take a fraction of a CPU second.
 * <p>
 * The step must stay at or below {@link #MAX_STEP_NS}: the endpoint's {@code DeadlineTimerWheel} advances one tick
 * (2^20 ns) per poll, so a clock moving faster than a tick per duty cycle would leave the wheel, and every timer,
 * behind. Failure messages ({@link #describe()}) name the seed and the simulated time; the {@link VirtualTimeExtension}
 * prints them for failed tests and the suite's simulated-time-per-CPU-second figure.
 */
public final class VirtualTimeHarness implements AutoCloseable
{
    /** Default clock step. */
    public static final long DEFAULT_STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The endpoint timer wheel's tick: a larger step leaves timers behind (one tick per poll). */
    public static final long MAX_STEP_NS = 1L << 20;
    private static final int MAX_ROUNDS_PER_STEP = 32;

    static final List<VirtualTimeHarness> ACTIVE = new ArrayList<>();
    private static long totalSimulatedNs;
    private static long totalCpuNs;
    private static long totalSteps;

    private final long seed;
    private final VirtualClock clock = new VirtualClock();
    private final InMemoryNetwork network;
    private final List<Peer> peers = new ArrayList<>();
    private final Path keyLogPath;
    private final KeyLog.Writer keyLog;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long cpuStartNs;
    private final List<Throwable> errors = new ArrayList<>();
    private WireTap tap;
    private long stepNs = DEFAULT_STEP_NS;
    private long steps;
    private long maxSteps = 20_000_000;
    private boolean closed;

    /**
     * @param seed of the network's schedule and of the endpoints' randomness (session IDs, nonces, keys).
     */
    public VirtualTimeHarness(final long seed)
    {
        this.seed = seed;
        this.network = new InMemoryNetwork(clock, seed);
        try
        {
            keyLogPath = Files.createTempFile("flowcast-virtual-time-", ".keylog");
            keyLog = new KeyLog.Writer(keyLogPath);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        cpuStartNs = threads.getCurrentThreadCpuTime();
        synchronized (ACTIVE)
        {
            ACTIVE.add(this);
        }
    }

    /**
     * A responder (server) endpoint.
     *
     * @param name  for messages.
     * @param host  an IP literal.
     * @param port  its port.
     * @param tweak changes to its context (null for none).
     * @return the peer.
     */
    public Peer server(final String name, final String host, final int port, final Consumer<EndpointContext> tweak)
    {
        return peer(name, new InetSocketAddress(InMemoryNetwork.literal(host), port), true, tweak);
    }

    /**
     * An initiator-only (client) endpoint.
     *
     * @param name  for messages.
     * @param host  an IP literal.
     * @param port  its port.
     * @param tweak changes to its context (null for none).
     * @return the peer.
     */
    public Peer client(final String name, final String host, final int port, final Consumer<EndpointContext> tweak)
    {
        return peer(name, new InetSocketAddress(InMemoryNetwork.literal(host), port), false, tweak);
    }

    private Peer peer(
        final String name, final InetSocketAddress address, final boolean responder,
        final Consumer<EndpointContext> tweak)
    {
        final SecureRandom random = seededRandom(seed * 31 + peers.size());
        final InMemoryTransport transport = network.transport(address);
        final Peer peer = new Peer(name, transport);
        final SessionKeying keying = responder ? SessionKeying.server(random) :
            new SessionKeying(random, DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
            DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null);
        final EndpointContext context = new EndpointContext()
            .transport(transport)
            .keying(keying)
            .random(random)
            .acceptIncoming(responder)
            .listener(peer.events)
            .flowListener(peer.flows)
            .threading(EndpointContext.Threading.INVOKER)
            .nanoClock(clock)
            .epochClock(clock)
            .keyLog(keyLog)
            .counterPrefix(name)
            .errorHandler((error) -> errors.add(new AssertionError(name + " agent threw at " + clock, error)));
        if (null != tweak)
        {
            tweak.accept(context);
        }
        peer.endpoint = RtmfpEndpoint.launch(context);
        peers.add(peer);
        return peer;
    }

    /**
     * @param from sender.
     * @param to   receiver.
     * @return the schedule of datagrams from one peer to the other.
     */
    public LinkSchedule link(final Peer from, final Peer to)
    {
        return network.link(from.transport, to.transport);
    }

    /**
     * Shape both directions between two peers alike (each direction keeps its own seeded generator).
     *
     * @param a      one peer.
     * @param b      the other.
     * @param shaper applied to both directions.
     */
    public void links(final Peer a, final Peer b, final Consumer<LinkSchedule> shaper)
    {
        shaper.accept(link(a, b));
        shaper.accept(link(b, a));
    }

    /**
     * @return a wire tap that captures every datagram from now on (installed on first call).
     */
    public WireTap tap()
    {
        if (null == tap)
        {
            tap = new WireTap(clock, keyLogPath);
            network.tap(tap);
        }
        return tap;
    }

    /**
     * @param nanos clock step, 1..{@link #MAX_STEP_NS}.
     * @return this.
     */
    public VirtualTimeHarness stepNs(final long nanos)
    {
        if (nanos < 1 || nanos > MAX_STEP_NS)
        {
            throw new IllegalArgumentException("step must be within 1.." + MAX_STEP_NS + " ns: " + nanos);
        }
        stepNs = nanos;
        return this;
    }

    /** @return the clock step. */
    public long stepNs()
    {
        return stepNs;
    }

    /**
     * @param steps most steps this harness may run in all (a guard against a test that never ends).
     * @return this.
     */
    public VirtualTimeHarness maxSteps(final long steps)
    {
        maxSteps = steps;
        return this;
    }

    /** @return the virtual clock. */
    public VirtualClock clock()
    {
        return clock;
    }

    /** @return the network. */
    public InMemoryNetwork network()
    {
        return network;
    }

    /** @return the seed. */
    public long seed()
    {
        return seed;
    }

    /** @return the virtual time now, in ns since the start. */
    public long nowNs()
    {
        return clock.elapsedNs();
    }

    /**
     * Run every endpoint's duty cycle until no endpoint has work at this instant (at most 32 rounds), then advance
     * the clock by one step.
     */
    public void step()
    {
        for (int round = 0; round < MAX_ROUNDS_PER_STEP; round++)
        {
            int work = 0;
            for (int i = 0, n = peers.size(); i < n; i++)
            {
                final Peer peer = peers.get(i);
                if (!peer.closed)
                {
                    work += peer.endpoint.doWork();
                }
            }
            if (!errors.isEmpty())
            {
                final AssertionError error = new AssertionError("endpoint error; " + describe(), errors.get(0));
                errors.clear();
                throw error;
            }
            if (0 == work)
            {
                break;
            }
        }
        clock.advance(stepNs);
        if (++steps > maxSteps)
        {
            throw new AssertionError("more than " + maxSteps + " steps; " + describe());
        }
    }

    /**
     * Step until {@code done} holds or {@code maxSimulatedNs} of virtual time have passed.
     *
     * @param done           the condition, checked before each step.
     * @param maxSimulatedNs bound on the virtual time spent.
     * @return whether {@code done} held.
     */
    public boolean runUntil(final BooleanSupplier done, final long maxSimulatedNs)
    {
        final long deadline = clock.nanoTime() + maxSimulatedNs;
        while (!done.getAsBoolean())
        {
            if (clock.nanoTime() - deadline >= 0)
            {
                return false;
            }
            step();
        }
        return true;
    }

    /**
     * {@link #runUntil}, failing with the seed and virtual time when {@code done} does not hold in time.
     *
     * @param what           what is awaited, for the message.
     * @param done           the condition.
     * @param maxSimulatedNs bound on the virtual time spent.
     */
    public void awaitUntil(final String what, final BooleanSupplier done, final long maxSimulatedNs)
    {
        if (!runUntil(done, maxSimulatedNs))
        {
            throw new AssertionError(what + ": not within " + maxSimulatedNs / 1e9 + " s simulated; " + describe());
        }
    }

    /**
     * Step for this much virtual time.
     *
     * @param simulatedNs how long.
     */
    public void runFor(final long simulatedNs)
    {
        runUntil(() -> false, simulatedNs);
    }

    /**
     * Open a session from {@code client} to {@code server}'s fingerprint and address.
     *
     * @param client         initiator.
     * @param server         responder.
     * @param maxSimulatedNs bound on the handshake.
     * @return the client's and the server's session.
     */
    public Session[] connect(final Peer client, final Peer server, final long maxSimulatedNs)
    {
        final int clientOpened = client.events.opened.size();
        final int serverOpened = server.events.opened.size();
        client.endpoint.connectToFingerprint(server.endpoint.fingerprint(), server.endpoint.localAddresses());
        awaitUntil(client.name + " -> " + server.name + " session open",
            () -> client.events.opened.size() > clientOpened && server.events.opened.size() > serverOpened,
            maxSimulatedNs);
        return new Session[] { client.events.opened.get(clientOpened), server.events.opened.get(serverOpened) };
    }

    /**
     * @return the seed, virtual time, steps and every link's and transport's state, for failure messages.
     */
    public String describe()
    {
        final StringBuilder text = new StringBuilder()
            .append("seed=").append(seed)
            .append(", simulated ").append(String.format("%.3f", clock.elapsedNs() / 1e9)).append(" s")
            .append(", steps=").append(steps);
        for (final Peer from : peers)
        {
            text.append("\n  ").append(from.name).append(' ').append(from.transport);
            for (final Peer to : peers)
            {
                if (from != to)
                {
                    text.append("\n    -> ").append(to.name).append(' ').append(link(from, to));
                }
            }
        }
        return text.toString();
    }

    /**
     * Release the endpoints (abruptly: an orderly close is a test of its own, run in virtual time), add this run to
     * the suite's totals and print its figure.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Peer peer : peers)
        {
            peer.close();
        }
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuStartNs;
        synchronized (ACTIVE)
        {
            totalSimulatedNs += clock.elapsedNs();
            totalCpuNs += cpuNs;
            totalSteps += steps;
        }
        System.out.printf("virtual time: seed %d, %.1f s simulated in %.3f s CPU (%.1fx), %d steps%n",
            seed, clock.elapsedNs() / 1e9, cpuNs / 1e9, clock.elapsedNs() / (double)Math.max(1, cpuNs), steps);
        try
        {
            keyLog.close();
            Files.deleteIfExists(keyLogPath);
        }
        catch (final IOException ex)
        {
            // a temporary file
        }
    }

    /**
     * @return the suite's totals so far: simulated seconds, CPU seconds of the harness threads, steps.
     */
    static String totals()
    {
        synchronized (ACTIVE)
        {
            return String.format("virtual-time suite: %.1f s simulated in %.2f s CPU = %.0f simulated seconds "
                + "per CPU second (%d steps)", totalSimulatedNs / 1e9, totalCpuNs / 1e9,
                totalSimulatedNs / (double)Math.max(1, totalCpuNs), totalSteps);
        }
    }

    static SecureRandom seededRandom(final long seed)
    {
        try
        {
            final SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // before any output: the stream is then a function of the seed alone
            return random;
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * One endpoint of the harness with what it saw: session events and received messages.
     */
    public final class Peer
    {
        /** For messages. */
        public final String name;
        /** Its transport on the network. */
        public final InMemoryTransport transport;
        /** Session events. */
        public final Events events = new Events();
        /** Messages of every receiving flow (the endpoint's flow listener). */
        public final Messages flows = new Messages();
        RtmfpEndpoint endpoint;
        boolean closed;

        Peer(final String name, final InMemoryTransport transport)
        {
            this.name = name;
            this.transport = transport;
        }

        /** @return the endpoint. */
        public RtmfpEndpoint endpoint()
        {
            return endpoint;
        }

        /** @return its (current) address. */
        public InetSocketAddress address()
        {
            return transport.localAddress(0);
        }

        /** Release the endpoint at once: no orderly close, sessions aborted, nothing more is run for it. */
        public void close()
        {
            if (!closed)
            {
                closed = true;
                endpoint.close(0, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    /**
     * Session events with their virtual time.
     */
    public final class Events implements SessionListener
    {
        /** Sessions opened, in order. */
        public final List<Session> opened = new ArrayList<>();
        /** Reasons of sessions closed, in order. */
        public final List<CloseReason> closed = new ArrayList<>();
        /** Virtual times (ns since the start) of those closings. */
        public final List<Long> closedAtNs = new ArrayList<>();
        /** Reasons of openings that failed. */
        public final List<CloseReason> failed = new ArrayList<>();

        @Override
        public void onSessionOpened(final Session session)
        {
            opened.add(session);
        }

        @Override
        public void onSessionClosed(final Session session, final CloseReason reason)
        {
            closed.add(reason);
            closedAtNs.add(clock.elapsedNs());
        }

        @Override
        public void onOpenFailed(final long openId, final CloseReason reason)
        {
            failed.add(reason);
        }
    }

    /** One received message: flow, index (its first 8 bytes, -1 when shorter), length, CRC-32, virtual time. */
    public record Message(long flowId, long index, int length, long crc, long atNs)
    {
    }

    /**
     * Collects every receiving flow's events.
     */
    public final class Messages implements FlowListener
    {
        /** Messages in delivery order. */
        public final List<Message> messages = new ArrayList<>();
        /** Receiving flows opened. */
        public final List<ReceiveFlow> opened = new ArrayList<>();
        /** Receiving flows that closed. */
        public final List<ReceiveFlow> closed = new ArrayList<>();
        /** Gaps reported. */
        public int gaps;
        /** Exceptions reported for sending flows, by code. */
        public final List<Long> sendExceptions = new ArrayList<>();

        @Override
        public void onFlowOpened(final ReceiveFlow flow)
        {
            opened.add(flow);
        }

        @Override
        public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            messages.add(new Message(flow.flowId(), length >= 8 ? buffer.getLong(offset) : -1, length, crc(bytes),
                clock.elapsedNs()));
        }

        @Override
        public void onGap(final ReceiveFlow flow)
        {
            gaps++;
        }

        @Override
        public void onFlowClosed(final ReceiveFlow flow)
        {
            closed.add(flow);
        }

        @Override
        public void onSendFlowException(final SendFlow flow, final long exceptionCode)
        {
            sendExceptions.add(exceptionCode);
        }
    }

    /**
     * @param bytes data.
     * @return its CRC-32.
     */
    public static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
