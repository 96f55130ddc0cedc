package io.flowcast.engine.virtualtime;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Constants and helpers shared by the virtual-time tests.
 */
final class VirtualTimeTesting
{
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    private VirtualTimeTesting()
    {
    }

    /** A server and a client with an open session between them. */
    record Pair(
        VirtualTimeHarness harness,
        VirtualTimeHarness.Peer server,
        VirtualTimeHarness.Peer client,
        Session clientSession,
        Session serverSession)
    {
        /**
         * Open a flow from the client and bring it up: its first message (index 0, 100 bytes) delivered.
         *
         * @param metadata the flow's metadata, as text.
         * @param options  flow options, or null for the defaults.
         * @param random   for the message's bytes.
         * @return the open flow.
         */
        SendFlow warmFlow(final String metadata, final FlowOptions options, final SplittableRandom random)
        {
            final byte[] bytes = metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            final SendFlow flow = null == options ? clientSession.openFlow(bytes) :
                clientSession.openFlow(bytes, null, options);
            final int before = server.flows.messages.size();
            send(flow, message(0, 100, random));
            harness.awaitUntil("flow " + metadata + " open", () -> server.flows.messages.size() > before &&
                flow.messagesAcknowledged() == 1, 5 * SECOND);
            return flow;
        }

        /**
         * Send messages {@code from}..{@code to - 1} (100 bytes each) one at a time, each acknowledged before the next,
         * then wait {@code pauseNs}.
         */
        void sendOneByOne(
            final SendFlow flow, final int from, final int to, final SplittableRandom random, final long boundNs,
            final long pauseNs)
        {
            for (int i = from; i < to; i++)
            {
                final long acked = flow.messagesAcknowledged() + 1;
                send(flow, message(i, 100, random));
                harness.awaitUntil("message " + i + " acknowledged", () -> flow.messagesAcknowledged() == acked,
                    boundNs);
                harness.runFor(pauseNs);
            }
        }

        /** Offer {@code bytes} on {@code flow} and fail if it was not accepted. */
        long send(final SendFlow flow, final byte[] bytes)
        {
            final long rc = flow.offer(new UnsafeBuffer(bytes), 0, bytes.length);
            if (rc < 0)
            {
                throw new AssertionError("offer: " + OfferStatus.name(rc) + "; " + harness.describe());
            }
            return rc;
        }
    }

    /**
     * Server 10.0.0.1:1935, client 10.0.0.2:50000, both directions delayed by {@code oneWayDelayNs}, session open.
     */
    static Pair pair(
        final VirtualTimeHarness harness, final long oneWayDelayNs, final Consumer<EndpointContext> tweak)
    {
        final VirtualTimeHarness.Peer server = harness.server("server", "10.0.0.1", 1935, tweak);
        final VirtualTimeHarness.Peer client = harness.client("client", "10.0.0.2", 50000, tweak);
        harness.links(client, server, (link) -> link.delay(oneWayDelayNs));
        final Session[] sessions = harness.connect(client, server, 30 * SECOND);
        return new Pair(harness, server, client, sessions[0], sessions[1]);
    }

    /**
     * @return {@code length} random bytes (at least 8) starting with {@code index} (little-endian long).
     */
    static byte[] message(final long index, final int length, final SplittableRandom random)
    {
        final byte[] bytes = new byte[Math.max(8, length)];
        random.nextBytes(bytes);
        new UnsafeBuffer(bytes).putLong(0, index);
        return bytes;
    }
}
