package io.flowcast.engine.server;

import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.config.ConfigLoader;
import io.flowcast.config.ConfigOverride;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.LocalMachine;
import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.rtmp.RawRtmpClient;
import io.flowcast.engine.status.CountersFile;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
@Timeout(60)
class FlowcastServerTest
{
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final Queue<Object> clientEvents = new ConcurrentLinkedQueue<>();

    private ServerContext byHand()
    {
        return new ServerContext()
            .rtmfpBind(ANY_LOOPBACK)
            .rtmpBind(ANY_LOOPBACK)
            .keying(SessionKeying.server(random));
    }

    @Test
    void launchedByHandServesRtmfpAndRtmpAndCloseLeavesNoThreadOrSocket() throws Exception
    {
        final List<String> threadsBefore = flowcastThreads();
        final InetSocketAddress udp;
        final InetSocketAddress tcp;
        try (FlowcastServer server = FlowcastServer.launch(byHand()))
        {
            udp = server.rtmfpAddresses().get(0);
            tcp = server.rtmpAddresses().get(0);
            assertThat(udp.getPort()).isPositive();
            assertThat(server.fingerprintHex()).matches("[0-9a-f]{64}");
            assertThat(server.countersFile().path()).isNull(); // no directory given: counters in memory

            try (RtmfpEndpoint client = client())
            {
                client.connectToFingerprint(server.endpoint().fingerprint(), List.of(udp));
                assertThat(await(() -> clientEvents.stream().anyMatch(Session.class::isInstance))).isTrue();
            }
            assertThat(rtmpConnects(tcp.getPort())).isTrue();
            assertThat(server.errorCount()).isZero();
        }
        assertThat(await(() -> flowcastThreads().equals(threadsBefore))).as(flowcastThreads().toString()).isTrue();
        try (DatagramSocket rebindUdp = new DatagramSocket(udp);
             ServerSocket rebindTcp = new ServerSocket(tcp.getPort(), 1, tcp.getAddress()))
        {
            assertThat(rebindUdp.getLocalPort()).isEqualTo(udp.getPort()); // the server let go of both sockets
            assertThat(rebindTcp.getLocalPort()).isEqualTo(tcp.getPort());
        }
    }

    @Test
    void launchedFromConfigWritesTheCountersFileAndHeartbeats() throws Exception
    {
        final int port = freeUdpPort();
        final ConfigResult result = ConfigLoader.load(null, Map.of(), List.of(
            new ConfigOverride("rtmfp.bind", "127.0.0.1", "test"),
            new ConfigOverride("rtmfp.port", Integer.toString(port), "test"),
            new ConfigOverride("rtmp.enabled", "false", "test"),
            new ConfigOverride("identity.key-file", dir.resolve("id.key").toString(), "test")),
            LocalMachine.probe());
        assertThat(result.problems()).isEmpty();
        final long[] nowMs = {1_000_000};
        final ServerContext context = ServerContext.fromConfig(result.config())
            .countersDirectory(dir.resolve("counters"))
            .epochClock(() -> nowMs[0]);
        try (FlowcastServer server = FlowcastServer.launch(context))
        {
            assertThat(server.rtmfpAddresses()).containsExactly(new InetSocketAddress("127.0.0.1", port));
            assertThat(server.rtmp()).isNull();
            assertThat(context.keying()).isNotNull(); // loaded from identity.key-file
            try (CountersFile file = CountersFile.openReadOnly(dir.resolve("counters")))
            {
                assertThat(file.startTimeMs()).isEqualTo(1_000_000); // the context's epoch clock
                nowMs[0] += 5_000;
                assertThat(await(() -> file.heartbeatMs() == 1_005_000)).isTrue(); // the server's own duty
                final List<String> labels = new ArrayList<>();
                file.reader().forEach((value, id, label) -> labels.add(label));
                assertThat(labels).contains(FlowcastServer.ERRORS_COUNTER_LABEL, "rtmfp: sessions open");
            }
        }
    }

    @Test
    void concludeNamesWhatIsMissingOrWrong()
    {
        assertThatThrownBy(() -> new ServerContext().keying(SessionKeying.server(random)).conclude())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("ServerContext.rtmfpBind: nothing to serve; bind RTMFP (rtmfpBind), RTMP " +
                "(rtmpBind) or both (port 0: any free port)");
        assertThatThrownBy(() -> new ServerContext().rtmfpBind(ANY_LOOPBACK).conclude())
            .hasMessageStartingWith("ServerContext.keying: no server identity; give keying(SessionKeying)");
        final ServerContext theirs = byHand();
        theirs.rtmfpContext().listener(new RecordingListener(clientEvents));
        assertThatThrownBy(theirs::conclude).hasMessageStartingWith("ServerContext.rtmfpContext: its " +
            "listener, flow listener, co-located agent, counters and key log are the server's");
        assertThatThrownBy(() -> byHand().errorLogLength(1000).conclude())
            .hasMessageContaining("errorLogLength");
        assertThatThrownBy(() -> byHand().closeTimeout(-1, TimeUnit.SECONDS).conclude())
            .hasMessageContaining("closeTimeout");
        final ServerContext once = byHand().conclude();
        assertThatThrownBy(once::conclude).hasMessageContaining("already concluded");
    }

    @Test
    void throwingSessionListenerIsCountedLoggedAndTheNextClientIsServed() throws Exception
    {
        final AtomicInteger opened = new AtomicInteger();
        final ServerContext context = byHand()
            .countersDirectory(dir)
            .sessionListener(new SessionListener()
            {
                public void onSessionOpened(final Session session)
                {
                    if (1 == opened.incrementAndGet())
                    {
                        throw new IllegalStateException("listener bug on the first session");
                    }
                }

                public void onSessionClosed(final Session session, final CloseReason reason)
                {
                }

                public void onOpenFailed(final long openId, final CloseReason reason)
                {
                }
            });
        try (FlowcastServer server = FlowcastServer.launch(context);
             RtmfpEndpoint first = client();
             RtmfpEndpoint second = client())
        {
            first.connectToFingerprint(server.endpoint().fingerprint(), server.rtmfpAddresses());
            assertThat(await(() -> 1 == opened.get() && 1 == server.errorCount())).isTrue();
            second.connectToFingerprint(server.endpoint().fingerprint(), server.rtmfpAddresses());
            assertThat(await(() -> 2 == opened.get())).isTrue();
            assertThat(await(() -> 2 == clientEvents.stream().filter(Session.class::isInstance).count())).isTrue();
            assertThat(rtmpConnects(server.rtmpAddresses().get(0).getPort())).isTrue();
            assertThat(server.errorCount()).isEqualTo(1);
            assertThat(errorsInFile()).singleElement().asString()
                .startsWith("1 java.lang.IllegalStateException: listener bug on the first session");
        }
    }

    @Test
    void throwingMediaListenerIsCountedAndTheNextConnectionIsServed() throws Exception
    {
        final ServerContext context = byHand()
            .mediaListener((event, protocol, id, peer, app, stream, detail) ->
            {
                if (MediaEvent.CONNECT == event)
                {
                    throw new IllegalArgumentException("media listener bug");
                }
            });
        try (FlowcastServer server = FlowcastServer.launch(context))
        {
            final int port = server.rtmpAddresses().get(0).getPort();
            assertThat(rtmpConnects(port)).isTrue();
            assertThat(rtmpConnects(port)).isTrue();
            assertThat(await(() -> 2 == server.errorCount())).isTrue();
            final List<String> errors = new ArrayList<>();
            server.countersFile().readErrors((count, first, last, trace) -> errors.add(count + " " + trace));
            assertThat(errors).singleElement().asString()
                .startsWith("2 java.lang.IllegalArgumentException: media listener bug");
        }
    }

    @Test
    void throwingAgentKeepsRunningAndTheOthersStillServe() throws Exception
    {
        final AtomicInteger cycles = new AtomicInteger();
        final ServerContext context = byHand().agent(new Agent()
        {
            public int doWork()
            {
                if (cycles.incrementAndGet() <= 3)
                {
                    throw new UnsupportedOperationException("agent bug " + cycles.get());
                }
                return 0;
            }

            public String roleName()
            {
                return "throwing";
            }
        });
        try (FlowcastServer server = FlowcastServer.launch(context);
             RtmfpEndpoint client = client())
        {
            assertThat(await(() -> cycles.get() > 3)).isTrue(); // called again after each throw
            assertThat(server.errorCount()).isEqualTo(3);
            client.connectToFingerprint(server.endpoint().fingerprint(), server.rtmfpAddresses());
            assertThat(await(() -> clientEvents.stream().anyMatch(Session.class::isInstance))).isTrue();
            assertThat(rtmpConnects(server.rtmpAddresses().get(0).getPort())).isTrue();
            final List<String> errors = new ArrayList<>();
            server.countersFile().readErrors((count, first, last, trace) -> errors.add(trace));
            assertThat(errors).hasSize(3).allMatch(e -> e.startsWith("java.lang.UnsupportedOperationException"));
        }
    }

    @Test
    void rtmpOnlyRunsItsOwnAgentThread() throws Exception
    {
        final List<String> threadsBefore = flowcastThreads();
        try (FlowcastServer server = FlowcastServer.launch(new ServerContext().rtmpBind(ANY_LOOPBACK)))
        {
            assertThat(server.endpoint()).isNull();
            assertThat(server.rtmfpAddresses()).isEmpty();
            assertThat(flowcastThreads()).contains("flowcast-server");
            assertThat(rtmpConnects(server.rtmpAddresses().get(0).getPort())).isTrue();
        }
        assertThat(await(() -> flowcastThreads().equals(threadsBefore))).as(flowcastThreads().toString()).isTrue();
    }

    @Test
    void invokerModeRunsOnTheCallersThread() throws Exception
    {
        final ServerContext context = byHand();
        context.rtmfpContext().threading(EndpointContext.Threading.INVOKER);
        try (FlowcastServer server = FlowcastServer.launch(context))
        {
            final RtmfpEndpoint client = RtmfpEndpoint.launch(clientContext()
                .threading(EndpointContext.Threading.INVOKER));
            client.connectToFingerprint(server.endpoint().fingerprint(), server.rtmfpAddresses());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (clientEvents.stream().noneMatch(Session.class::isInstance) && System.nanoTime() < deadline)
            {
                server.doWork();
                client.doWork();
            }
            assertThat(clientEvents).anyMatch(Session.class::isInstance);
            assertThat(server.endpoint().openSessions()).isEqualTo(1);
            client.close(0, TimeUnit.SECONDS);
        }
    }

    private List<String> errorsInFile() throws Exception
    {
        // as flowcast stat reads it: another mapping of the file
        try (CountersFile file = CountersFile.openReadOnly(dir))
        {
            final List<String> errors = new ArrayList<>();
            file.readErrors((count, first, last, trace) ->
            {
                assertThat(last).isGreaterThanOrEqualTo(first);
                errors.add(count + " " + trace);
            });
            return errors;
        }
    }

    private EndpointContext clientContext()
    {
        return new EndpointContext()
            .bind(ANY_LOOPBACK)
            .keying(new SessionKeying(random, DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
                DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
            .acceptIncoming(false)
            .listener(new RecordingListener(clientEvents));
    }

    private RtmfpEndpoint client()
    {
        return RtmfpEndpoint.launch(clientContext());
    }

    /** An RTMP connect to app "live" that gets its {@code _result}. */
    private static boolean rtmpConnects(final int port) throws Exception
    {
        try (RawRtmpClient rtmp = new RawRtmpClient(port, 0))
        {
            rtmp.handshake();
            rtmp.send(0, MessageType.COMMAND_AMF0,
                rtmp.command("connect").objectBegin().key("app").string("live").objectEnd());
            return rtmp.readUntil(m -> m.stream().anyMatch(x -> x.type() == MessageType.COMMAND_AMF0));
        }
    }

    private static List<String> flowcastThreads()
    {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith("flowcast"))
            {
                names.add(thread.getName());
            }
        }
        names.sort(null);
        return names;
    }

    static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(ANY_LOOPBACK))
        {
            return socket.getLocalPort();
        }
    }

    static boolean await(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Client session events: the session when opened, the reason when closed or failed. */
    private static final class RecordingListener implements SessionListener
    {
        private final Queue<Object> events;

        RecordingListener(final Queue<Object> events)
        {
            this.events = events;
        }

        public void onSessionOpened(final Session session)
        {
            events.add(session);
        }

        public void onSessionClosed(final Session session, final CloseReason reason)
        {
            events.add(reason);
        }

        public void onOpenFailed(final long openId, final CloseReason reason)
        {
            events.add(reason);
        }
    }
}
