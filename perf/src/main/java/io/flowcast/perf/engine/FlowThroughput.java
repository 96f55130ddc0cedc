package io.flowcast.perf.engine;

import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * The CPU cost of one reliable encrypted flow, both ends in this thread (two invoker-mode endpoints over loopback
 * UDP): bytes of messages delivered per second of one core doing all the work of sender and receiver, so
 * optimisations show up without the scheduling noise of two processes.
 * <pre>
 *   java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar io.flowcast.perf.engine.FlowThroughput \
 *       [seconds] [message bytes] [rounds]
 * </pre>
 */
public final class FlowThroughput
{
    private FlowThroughput()
    {
    }

    /**
     * @param args seconds per round (default 3), message size (default 1100), rounds (default 3).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        final int size = args.length > 1 ? Integer.parseInt(args[1]) : 1100;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final long[] delivered = new long[1];
        final FlowListener sink = new FlowListener()
        {
            @Override
            public void onFlowOpened(final ReceiveFlow flow)
            {
            }

            @Override
            public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
            {
                delivered[0] += length;
            }
        };
        final Session[] opened = new Session[1];
        final SessionListener listener = new SessionListener()
        {
            @Override
            public void onSessionOpened(final Session session)
            {
                if (session.isInitiator())
                {
                    opened[0] = session;
                }
            }

            @Override
            public void onSessionClosed(final Session session, final CloseReason reason)
            {
            }

            @Override
            public void onOpenFailed(final long openId, final CloseReason reason)
            {
            }
        };
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0)).keying(SessionKeying.server(new SecureRandom()))
                .threading(EndpointContext.Threading.INVOKER).flowListener(sink).measureFlowLatency(false));
            RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0)).keying(SessionKeying.server(new SecureRandom()))
                .acceptIncoming(false).threading(EndpointContext.Threading.INVOKER).listener(listener)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            while (null == opened[0])
            {
                server.doWork();
                client.doWork();
            }
            final SendFlow flow = opened[0].openFlow("bulk".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
            for (int round = 0; round < rounds; round++)
            {
                final long startBytes = delivered[0];
                final long start = System.nanoTime();
                final long end = start + (long)(seconds * 1e9);
                while (System.nanoTime() - end < 0)
                {
                    for (int i = 0; i < 64 && flow.offer(message, 0, size) > 0; i++)
                    {
                        // keep the queue full
                    }
                    client.doWork();
                    server.doWork();
                }
                final double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %.1f MB/s delivered (sender and receiver on one core), " +
                    "cwnd %d, %d retransmitted%n", round, (delivered[0] - startBytes) / elapsed / 1e6,
                    opened[0].congestionWindow(), flow.retransmissions());
            }
        }
    }
}
