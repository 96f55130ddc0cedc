package io.flowcast.perf.engine;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Full RTMFP handshakes per second on loopback: one responder endpoint (its own agent thread) and N initiator
 * endpoints in invoker mode on the main thread, all connecting at once; rounds of N. Both sides' Diffie-Hellman runs
 * on this machine, so the figure is the whole machine's rate. Not JMH: one handshake is milliseconds of work.
 *
 * <pre>
 *   java -cp perf/target/benchmarks.jar io.flowcast.perf.engine.HandshakeRate [initiators] [rounds] [group]
 * </pre>
 * {@code group}: DH group both ends offer (2, 5, 14 or 16; default 2, the Flash-era group).
 */
public final class HandshakeRate
{
    private HandshakeRate()
    {
    }

    /**
     * @param args initiators per round, rounds, DH group.
     */
    public static void main(final String[] args)
    {
        final int initiators = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final int group = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        final SecureRandom random = new SecureRandom();
        final long groups = 1L << group;
        final AtomicInteger opened = new AtomicInteger();
        final SessionListener counting = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                opened.incrementAndGet();
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
                System.out.println("open failed: " + reason);
            }
        };
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(new SessionKeying(random, groups, null, Negotiation.REQUIRED, DirectionKeys.DEFAULT_HMAC_LENGTH,
                Negotiation.REQUIRED, true, null))
            .maxSessions(100_000)
            .maxSessionsPerAddress(100_000)
            .startupPacketsPerSecondPerAddress(1_000_000))) // every initiator is 127.0.0.1
        {
            for (int round = 0; round < rounds; round++)
            {
                final List<RtmfpEndpoint> clients = new ArrayList<>();
                for (int i = 0; i < initiators; i++)
                {
                    clients.add(RtmfpEndpoint.launch(new EndpointContext()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .keying(new SessionKeying(random, groups, null, Negotiation.REQUIRED,
                            DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
                        .acceptIncoming(false)
                        .threading(EndpointContext.Threading.INVOKER)
                        .listener(counting)));
                }
                opened.set(0);
                final long start = System.nanoTime();
                for (final RtmfpEndpoint client : clients)
                {
                    client.connectToFingerprint(server.fingerprint(), server.localAddresses());
                }
                final long deadline = start + TimeUnit.SECONDS.toNanos(60);
                while (opened.get() < initiators && System.nanoTime() < deadline)
                {
                    for (final RtmfpEndpoint client : clients)
                    {
                        client.doWork();
                    }
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("round %d: %d/%d handshakes (DH group %d) in %.3f s = %.0f handshakes/s%n",
                    round, opened.get(), initiators, group, seconds, opened.get() / seconds);
                for (final RtmfpEndpoint client : clients)
                {
                    client.close(0, TimeUnit.SECONDS);
                }
            }
        }
    }
}
