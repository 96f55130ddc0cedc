package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.session.SessionState;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("slow")
@Timeout(30)
public class EndpointHandshakeTest
{
    public static final SecureRandom RANDOM = new SecureRandom();

    public static SessionKeying clientKeying()
    {
        return new SessionKeying(RANDOM, DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
            DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null);
    }

    public static EndpointContext server(final SessionListener listener)
    {
        return new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(RANDOM))
            .listener(listener);
    }

    public static EndpointContext client(final SessionListener listener)
    {
        return new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(clientKeying())
            .acceptIncoming(false)
            .helloInterval(200, TimeUnit.MILLISECONDS)
            .listener(listener);
    }

    @Test
    void oursToOursByUriOpensBothEndsAndClosesOrderly() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)))
        {
            final int port = server.localAddresses().get(0).getPort();
            final long openId = client.connect("rtmfp://127.0.0.1:" + port + "/live");

            final Session clientSession = clientEvents.awaitOpened();
            final Session serverSession = serverEvents.awaitOpened();
            assertThat(clientSession).isNotNull();
            assertThat(serverSession).isNotNull();
            assertThat(clientSession.openId()).isEqualTo(openId);
            assertThat(clientSession.isInitiator()).isTrue();
            assertThat(serverSession.isInitiator()).isFalse();
            assertThat(clientSession.farSessionId()).isEqualTo(serverSession.localSessionId());
            assertThat(serverSession.farSessionId()).isEqualTo(clientSession.localSessionId());
            assertThat(clientSession.farFingerprint()).isEqualTo(server.fingerprint());
            assertThat(server.openSessions()).isEqualTo(1);

            // per-session counters in the counters manager mirror the session's own counts
            final long[] counted = { -1, -2 };
            final java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
            client.execute(() ->
            {
                counted[0] = clientSession.datagramsOut();
                counted[1] = clientSession.counterValue(Session.DATAGRAMS_OUT);
                read.countDown();
            });
            assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(counted[1]).isEqualTo(counted[0]);

            client.close(clientSession);
            assertThat(clientEvents.awaitClosed()).isEqualTo(CloseReason.LOCAL_CLOSE);
            assertThat(serverEvents.awaitClosed()).isEqualTo(CloseReason.REMOTE_CLOSE);
            awaitZero(client);
            assertThat(server.openSessions()).isZero();
        }
    }

    @Test
    void ipv6LoopbackHandshakeWithBothFamiliesBound() throws Exception
    {
        final InetSocketAddress v6 = new InetSocketAddress("::1", 0);
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(
            java.net.StandardProtocolFamily.INET6))
        {
            probe.bind(v6);
        }
        catch (final java.io.IOException | UnsupportedOperationException ex)
        {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback here: " + ex);
        }
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents).bind(v6));
            RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
                .bind(v6).keying(clientKeying()).acceptIncoming(false).listener(clientEvents)))
        {
            assertThat(server.localAddresses()).hasSize(2);
            final InetSocketAddress serverV6 = server.localAddresses().get(1);
            client.connect("rtmfp://[::1]:" + serverV6.getPort() + "/live");
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            assertThat(session.farAddress().getAddress()).isInstanceOf(java.net.Inet6Address.class);
            assertThat(serverEvents.awaitOpened()).isNotNull();
        }
    }

    @Test
    void acceptedSessionsCanBePolledFromAnApplicationThread() throws Exception
    {
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(null).acceptQueueCapacity(4));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session opened = clientEvents.awaitOpened();
            assertThat(opened).isNotNull();
            Session accepted = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (null == accepted && System.nanoTime() < deadline)
            {
                accepted = server.pollAccepted();
                Thread.sleep(1);
            }
            assertThat(accepted).isNotNull();
            assertThat(accepted.farSessionId()).isEqualTo(opened.localSessionId());
            assertThat(server.pollAccepted()).isNull();
        }
    }

    @Test
    void dedicatedThreadingOpensPingsAndClosesOrderly() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents)
                .threading(EndpointContext.Threading.DEDICATED).keepaliveInterval(20, TimeUnit.MILLISECONDS));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)
                .threading(EndpointContext.Threading.DEDICATED).keepaliveInterval(20, TimeUnit.MILLISECONDS)))
        {
            client.connect("rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/live");
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            assertThat(serverEvents.awaitOpened()).isNotNull();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            final long[] srtt = { -1 };
            while (System.nanoTime() < deadline && srtt[0] < 0)
            {
                Thread.sleep(20);
                client.execute(() -> srtt[0] = session.srttMillis());
            }
            assertThat(srtt[0]).isGreaterThanOrEqualTo(0);
            client.close(session);
            assertThat(serverEvents.awaitClosed()).isEqualTo(CloseReason.REMOTE_CLOSE);
            assertThat(clientEvents.awaitClosed()).isEqualTo(CloseReason.LOCAL_CLOSE);
            awaitZero(client);
            assertThat(client.counters().receiveRingFull.get() + client.counters().sendRingFull.get()).isZero();
        }
    }

    @Test
    void connectByFingerprintAndKeepalivePingsGiveRttSamples() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents)
                .keepaliveInterval(50, TimeUnit.MILLISECONDS));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)
                .keepaliveInterval(50, TimeUnit.MILLISECONDS)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            // each end pings when it has heard nothing for 50 ms; replies echo timestamps → RTT samples
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            final long[] srtt = { -1 };
            while (System.nanoTime() < deadline && srtt[0] < 0)
            {
                Thread.sleep(20);
                client.execute(() -> srtt[0] = session.srttMillis());
            }
            assertThat(srtt[0]).isGreaterThanOrEqualTo(0);
            assertThat(session.state()).isEqualTo(SessionState.OPEN);
        }
    }

    @Test
    void aSecondOpeningToTheSameEndpointIsADuplicate() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session first = clientEvents.awaitOpened();
            assertThat(first).isNotNull();
            client.connect("rtmfp://127.0.0.1:" + server.localAddresses().get(0).getPort() + "/other");
            assertThat(clientEvents.awaitFailed()).isEqualTo(CloseReason.DUPLICATE);
            assertThat(client.openSessions()).isEqualTo(1);
            final SessionState[] state = { null };
            final java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
            client.execute(() ->
            {
                state[0] = first.state();
                read.countDown();
            });
            assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(state[0]).isEqualTo(SessionState.OPEN);
        }
    }

    @Test
    void deadPeerTimeoutClosesTheSession() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        final RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents));
        try (RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)
            .keepaliveInterval(50, TimeUnit.MILLISECONDS)
            .deadPeerTimeout(400, TimeUnit.MILLISECONDS)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            assertThat(clientEvents.awaitOpened()).isNotNull();
            assertThat(serverEvents.awaitOpened()).isNotNull();
            // close(0) may get its Close Request out before the agent stops (REMOTE_CLOSE); the dead-peer rule
            // itself is pinned in virtual time by VirtualTimeSessionTimersTest
            server.close(0, TimeUnit.SECONDS);
            assertThat(clientEvents.awaitClosed())
                .isIn(CloseReason.DEAD_PEER, CloseReason.REMOTE_ABORT, CloseReason.REMOTE_CLOSE);
        }
    }

    @Test
    void openTimesOutWhenNobodyAnswers() throws Exception
    {
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint silent = RtmfpEndpoint.launch(server(null).acceptIncoming(false));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents)
                .openTimeout(500, TimeUnit.MILLISECONDS)))
        {
            client.connect("rtmfp://127.0.0.1:" + silent.localAddresses().get(0).getPort() + "/app");
            assertThat(clientEvents.awaitFailed()).isEqualTo(CloseReason.OPEN_TIMEOUT);
        }
    }

    @Test
    void keyLogHasBothDirectionsForEachEnd(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("keys.log");
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (KeyLog.Writer writer = new KeyLog.Writer(file);
            RtmfpEndpoint server = RtmfpEndpoint.launch(server(serverEvents).keyLog(writer));
            RtmfpEndpoint client = RtmfpEndpoint.launch(client(clientEvents).keyLog(writer)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session c = clientEvents.awaitOpened();
            final Session s = serverEvents.awaitOpened();
            assertThat(c).isNotNull();
            assertThat(s).isNotNull();
            final List<KeyLog.Entry> entries = KeyLog.parse(new StringReader(Files.readString(file)));
            assertThat(entries).hasSize(4);
            // the direction client → server carries the server's session ID; both ends logged the same key for it
            final KeyLog.Entry[] toServer = entries.stream()
                .filter(e -> e.sessionId() == s.localSessionId()).toArray(KeyLog.Entry[]::new);
            assertThat(toServer).hasSize(2);
            assertThat(toServer[0].aesKey()).isEqualTo(toServer[1].aesKey());
        }
    }

    public static void awaitZero(final RtmfpEndpoint endpoint) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endpoint.openSessions() != 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(endpoint.openSessions()).isZero();
    }
}
