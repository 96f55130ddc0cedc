package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 sessions open at once on one responder endpoint (its own agent thread), then all closed in order: every
 * resource is released (sessions, per-session counters, per-address counts). Each initiator is its own endpoint
 * (one endpoint keeps one session per far identity, §3.5.1.1.1 step 1), all in invoker mode on the test thread and
 * sharing one counters manager; DH group 2 keeps the handshakes cheap.
 */
@Tag("slow")
@Timeout(120)
class ConcurrentSessionsTest
{
    static final int SESSIONS = 2_000;

    static CountersManager countersManager(final int counters)
    {
        return new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersManager.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersManager.COUNTER_LENGTH, 64)),
            StandardCharsets.US_ASCII);
    }

    static int allocatedCounters(final CountersManager manager)
    {
        final int[] count = { 0 };
        manager.forEach((id, label) -> count[0]++);
        return count[0];
    }

    @Test
    void twoThousandConcurrentSessionsOpenAndAreAllReleasedAfterClose() throws Exception
    {
        final SecureRandom random = new SecureRandom();
        final long group2 = 1L << 2;
        final CountersManager serverCounters = countersManager(256 + Session.COUNTERS * SESSIONS);
        final AtomicInteger serverOpened = new AtomicInteger();
        final AtomicInteger serverClosed = new AtomicInteger();
        final SessionListener serverListener = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                serverOpened.incrementAndGet();
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
                serverClosed.incrementAndGet();
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
            }
        };
        final List<Session> clientSessions = new ArrayList<>();
        final AtomicInteger clientClosed = new AtomicInteger();
        final AtomicInteger clientFailed = new AtomicInteger();
        final SessionListener clientListener = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                clientSessions.add(session); // invoker mode: the test thread
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
                clientClosed.incrementAndGet();
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
                clientFailed.incrementAndGet();
            }
        };

        final CountersManager clientCounters = countersManager(SESSIONS * 64);
        final List<RtmfpEndpoint> clients = new ArrayList<>(SESSIONS);
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(new SessionKeying(random, group2, null, Negotiation.REQUIRED, DirectionKeys.DEFAULT_HMAC_LENGTH,
                Negotiation.REQUIRED, true, null))
            .countersManager(serverCounters)
            .maxSessionsPerAddress(SESSIONS) // every initiator is 127.0.0.1
            .startupPacketsPerSecondPerAddress(1_000_000)
            .startupPacketsPerSecond(1_000_000)
            .farCloseLinger(200, TimeUnit.MILLISECONDS)
            .socketBufferBytes(4 << 20)
            .listener(serverListener)))
        {
            final int baselineCounters = allocatedCounters(serverCounters);
            for (int i = 0; i < SESSIONS; i++)
            {
                clients.add(RtmfpEndpoint.launch(new EndpointContext()
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .keying(new SessionKeying(random, group2, null, Negotiation.REQUIRED,
                        DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
                    .acceptIncoming(false)
                    .threading(EndpointContext.Threading.INVOKER)
                    .countersManager(clientCounters)
                    .counterPrefix("c" + i + ": ")
                    .helloInterval(500, TimeUnit.MILLISECONDS)
                    .listener(clientListener)));
            }
            for (final RtmfpEndpoint client : clients)
            {
                client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            }
            final long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((clientSessions.size() < SESSIONS || serverOpened.get() < SESSIONS) &&
                System.nanoTime() < openDeadline)
            {
                dutyCycle(clients);
            }
            assertThat(clientFailed.get()).isZero();
            assertThat(clientSessions).hasSize(SESSIONS);
            assertThat(serverOpened.get()).isEqualTo(SESSIONS);
            assertThat(server.openSessions()).isEqualTo(SESSIONS);
            assertThat(server.counters().handshakesRespondedOpen.get()).isEqualTo(SESSIONS);
            assertThat(allocatedCounters(serverCounters)).isEqualTo(baselineCounters + Session.COUNTERS * SESSIONS);

            for (int i = 0; i < SESSIONS; i++)
            {
                clients.get(i).close(clientSessions.get(i));
            }
            final int[] registered = { -1 };
            final long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < closeDeadline)
            {
                dutyCycle(clients);
                if (clientClosed.get() == SESSIONS && serverClosed.get() == SESSIONS && 0 == server.openSessions())
                {
                    server.execute(() -> registered[0] = server.agent().sessions().size() +
                        server.agent().sessions().addressCount() + server.agent().sessions().ipCount());
                    Thread.sleep(5);
                    if (0 == registered[0])
                    {
                        break;
                    }
                }
            }
            assertThat(clientClosed.get()).isEqualTo(SESSIONS);
            assertThat(serverClosed.get()).isEqualTo(SESSIONS);
            assertThat(server.openSessions()).isZero();
            assertThat(registered[0]).as("sessions still registered at the responder").isZero();
            assertThat(allocatedCounters(serverCounters)).as("per-session counters freed").isEqualTo(baselineCounters);
            assertThat(server.counters().sessionsClosedOrderly.get()).isEqualTo(SESSIONS);
        }
        finally
        {
            for (final RtmfpEndpoint client : clients)
            {
                client.close(0, TimeUnit.SECONDS);
            }
        }
    }

    private static void dutyCycle(final List<RtmfpEndpoint> clients) throws InterruptedException
    {
        int work = 0;
        for (final RtmfpEndpoint client : clients)
        {
            work += client.doWork();
        }
        if (0 == work)
        {
            Thread.sleep(1);
        }
    }
}
