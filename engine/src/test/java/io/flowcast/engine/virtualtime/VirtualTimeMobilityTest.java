package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.SessionState;
import io.flowcast.engine.transport.DatagramTap;
import io.flowcast.engine.transport.InMemoryNetwork;
import io.flowcast.engine.transport.InMemoryTransport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.message;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * §3.5.4.2 in virtual time: when a session's packets start coming from another address, the far end probes it with
 * a mobility Ping and moves DESTADDR only when the Ping Reply returns from there; an attacker replaying the client's
 * packets from its own address gets probed but never takes the session over.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeMobilityTest
{
    private static final long DELAY = 20 * MS;

    @Test
    void theServerFollowsTheClientToItsNewAddressOnlyAfterTheProbeIsEchoed()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(701))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final WireTap tap = harness.tap();
            final SplittableRandom random = new SplittableRandom(1);
            final SendFlow flow = pair.warmFlow("moving", null, random);
            final InetSocketAddress old = pair.client().address();
            assertThat(pair.serverSession().farAddress()).isEqualTo(old);

            // a NAT rebinding: new source port, the old mapping gone
            final InetSocketAddress moved = new InetSocketAddress(old.getAddress(), 50001);
            pair.client().transport.rebind(0, moved, false);
            final long movedAt = harness.nowNs();
            pair.send(flow, message(1, 100, random));
            final long[] followedAt = { -1 };
            harness.awaitUntil("server follows", () ->
            {
                if (followedAt[0] < 0 && moved.equals(pair.serverSession().farAddress()))
                {
                    followedAt[0] = harness.nowNs();
                }
                return followedAt[0] >= 0 && flow.messagesAcknowledged() == 2;
            }, 10 * SECOND);

            final List<WireTap.Sent> probes = tap.chunks(pair.server().address(), ChunkType.PING);
            assertThat(probes).hasSize(1);
            final WireTap.Sent probe = probes.get(0);
            assertThat(probe.packet().destination()).as("probe sent to the new address").isEqualTo(moved);
            assertThat(probe.chunk().payloadLength()).as("'M' + 16-byte nonce").isEqualTo(17);
            final WireTap.Sent data = tap.data(moved).get(0);
            assertThat(probe.sendNs() - data.packet().releaseNs()).as("probe at once").isBetween(0L, MS);
            final WireTap.Sent reply = tap.chunks(moved, ChunkType.PING_REPLY).get(0);
            assertThat(reply.packet().destination()).isEqualTo(pair.server().address());
            assertThat(followedAt[0]).as("DESTADDR moves when the echo arrives, not before")
                .isBetween(reply.packet().releaseNs(), reply.packet().releaseNs() + MS);
            // until then the server went on sending to the old address (lost: nobody is there)
            assertThat(tap.packets((p) -> p.source().equals(pair.server().address()) &&
                p.sendNs() > movedAt && p.sendNs() < reply.packet().releaseNs() && !p.has(ChunkType.PING)))
                .allMatch((p) -> p.destination().equals(old) && p.fate() == DatagramTap.NO_ROUTE);
            assertThat(tap.packets((p) -> p.source().equals(pair.server().address()) &&
                p.sendNs() > followedAt[0])).isNotEmpty().allMatch((p) -> p.destination().equals(moved));
            assertThat(pair.server().flows.messages).hasSize(2);
            assertThat(pair.serverSession().state()).isEqualTo(SessionState.OPEN);
        }
    }

    @Test
    void anAttackerReplayingTheClientsPacketsFromElsewhereIsProbedButNeverFollowed()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(702))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final InMemoryTransport mallory = harness.network().transport(
                new InetSocketAddress(InMemoryNetwork.literal("10.6.6.6"), 666));
            final WireTap tap = harness.tap();
            // mallory sees the client's datagrams on the path and races copies to the server from its own address
            // (0 delay against the client's 20 ms), and reflects whatever the server sends it
            final List<byte[]> overheard = new ArrayList<>();
            harness.network().tap((sendNs, releaseNs, source, destination, buffer, offset, length, fate) ->
            {
                tap.onDatagram(sendNs, releaseNs, source, destination, buffer, offset, length, fate);
                if (source.equals(pair.client().address()))
                {
                    final byte[] copy = new byte[length];
                    buffer.getBytes(offset, copy);
                    overheard.add(copy);
                }
            });
            final SendFlow flow = pair.clientSession().openFlow("victim".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(2);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);
            final int[] next = { 0 };
            harness.runUntil(() ->
            {
                for (final byte[] copy : overheard)
                {
                    scratch.wrap(copy);
                    mallory.send(-1, scratch, 0, copy.length, pair.server().address());
                }
                overheard.clear();
                mallory.poll((buffer, offset, length, source, channel) ->
                    mallory.send(-1, buffer, offset, length, source), 64);
                if (harness.nowNs() % (100 * MS) == 0 && next[0] < 50)
                {
                    pair.send(flow, message(next[0]++, 100, random));
                }
                return false;
            }, 6 * SECOND);

            final List<WireTap.Sent> probes = tap.chunks(pair.server().address(), ChunkType.PING);
            assertThat(probes).as("mallory's address probed, at most once a second").hasSizeBetween(1, 7)
                .allMatch((p) -> p.packet().destination().equals(mallory.localAddress(0)));
            for (int i = 1; i < probes.size(); i++)
            {
                assertThat(probes.get(i).sendNs() - probes.get(i - 1).sendNs()).isGreaterThanOrEqualTo(SECOND);
            }
            assertThat(pair.serverSession().farAddress()).isEqualTo(pair.client().address());
            assertThat(pair.serverSession().state()).isEqualTo(SessionState.OPEN);
            harness.awaitUntil("all acked", () -> flow.messagesAcknowledged() == 50, 5 * SECOND);
            assertThat(pair.server().flows.messages).hasSize(50);
            for (int i = 0; i < 50; i++)
            {
                assertThat(pair.server().flows.messages.get(i).index()).isEqualTo(i);
            }
        }
    }
}
