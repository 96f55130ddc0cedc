package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.SessionState;
import io.flowcast.engine.transport.DatagramTap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session timers in virtual time (§3.5.4.1 keepalive, dead peer, §3.5.5 close): keepalive Pings after 10 s of
 * silence, backed off by ERTO while unanswered; a dead peer declared 60 s after the last packet; an orderly close
 * (Close Request, Close Ack, the far end's 19 s linger); Close Requests every 5 s when unanswered, giving up at 90 s.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeSessionTimersTest
{
    private static final long DELAY = 10 * MS;

    /** When {@code to} last received a packet before {@code beforeNs}. */
    private static long lastArrival(final WireTap tap, final InetSocketAddress to, final long beforeNs)
    {
        long last = -1;
        for (final WireTap.Packet packet : tap.packets())
        {
            if (packet.destination().equals(to) && packet.delivered() && packet.releaseNs() < beforeNs)
            {
                last = Math.max(last, packet.releaseNs());
            }
        }
        return last;
    }

    @Test
    void anIdleSessionIsKeptAliveByAPingAfterTenSecondsOfSilence()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(601))
        {
            final WireTap tap = harness.tap(); // from the start: the last handshake packet counts as heard
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            harness.runFor(45 * SECOND);
            final List<WireTap.Sent> pings = new ArrayList<>(tap.chunks(null, ChunkType.PING));
            final List<WireTap.Sent> replies = tap.chunks(null, ChunkType.PING_REPLY);
            assertThat(pings).hasSizeBetween(3, 5);
            assertThat(replies).hasSameSizeAs(pings);
            for (int i = 0; i < pings.size(); i++)
            {
                final WireTap.Sent ping = pings.get(i);
                assertThat(ping.chunk().payloadLength()).as("a keepalive Ping is empty").isZero();
                final long silence = ping.sendNs() - lastArrival(tap, ping.packet().source(), ping.sendNs());
                assertThat(silence).as("ping %d after silence", i).isBetween(10 * SECOND, 10 * SECOND + 3 * MS);
                final WireTap.Sent reply = replies.get(i);
                assertThat(reply.packet().source()).isEqualTo(ping.packet().destination());
                assertThat(reply.sendNs() - ping.packet().releaseNs()).as("answered at once").isBetween(0L, MS);
            }
            assertThat(pair.clientSession().state()).isEqualTo(SessionState.OPEN);
            assertThat(pair.serverSession().state()).isEqualTo(SessionState.OPEN);
            assertThat(pair.client().events.closed).isEmpty();
        }
    }

    @Test
    void aSilentPeerIsPingedWithBackOffAndDeclaredDeadSixtySecondsAfterItsLastPacket()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(602))
        {
            final WireTap tap = harness.tap(); // from the start: the last handshake packet counts as heard
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            harness.runFor(SECOND);
            harness.links(pair.client(), pair.server(), (link) -> link.blackhole(true));
            final long partitioned = harness.nowNs();
            harness.awaitUntil("client declares the server dead", () -> !pair.client().events.closed.isEmpty(),
                70 * SECOND);
            assertThat(pair.client().events.closed).containsExactly(CloseReason.DEAD_PEER);
            final long lastHeard = lastArrival(tap, pair.client().address(), partitioned + SECOND);
            final long deadAt = pair.client().events.closedAtNs.get(0);
            assertThat(deadAt - lastHeard).as("§3.5.4.1 dead peer after 60 s").isBetween(60 * SECOND,
                60 * SECOND + 3 * MS);
            harness.awaitUntil("server too", () -> !pair.server().events.closed.isEmpty(), 5 * SECOND);
            assertThat(pair.server().events.closed).containsExactly(CloseReason.DEAD_PEER);

            // the client's keepalive Pings: the first after 10 s, then no more often than ERTO, ERTO backed off
            final List<Long> pings = tap.chunks(pair.client().address(), ChunkType.PING).stream()
                .map(WireTap.Sent::sendNs).toList();
            assertThat(pings.get(0) - lastHeard).isBetween(10 * SECOND, 10 * SECOND + 3 * MS);
            final StringBuilder seen = new StringBuilder();
            for (int i = 2; i < pings.size(); i++)
            {
                final long interval = pings.get(i) - pings.get(i - 1);
                final long previous = pings.get(i - 1) - pings.get(i - 2);
                seen.append(String.format(" %.0f", interval / 1e6));
                assertThat(interval).as("ping intervals (ms):%s", seen).isGreaterThanOrEqualTo(previous);
                assertThat(interval).isLessThanOrEqualTo(Math.max((long)(previous * 1.4143), 10 * SECOND) + 3 * MS);
            }
            System.out.println("unanswered keepalive intervals (ms):" + seen);
            assertThat(pings.get(pings.size() - 1) - pings.get(pings.size() - 2)).isBetween(10 * SECOND,
                10 * SECOND + 3 * MS);
            assertThat(tap.packets((p) -> p.sendNs() > partitioned)).allMatch((p) -> p.fate() ==
                DatagramTap.BLACKHOLED);
        }
    }

    @Test
    void anOrderlyCloseIsAcknowledgedAndTheFarEndLingersNineteenSeconds()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(603))
        {
            final WireTap tap = harness.tap(); // from the start: the last handshake packet counts as heard
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final long closing = harness.nowNs();
            pair.client().endpoint().close(pair.clientSession());
            harness.awaitUntil("client released", () -> SessionState.CLOSED == pair.clientSession().state(),
                SECOND);
            final WireTap.Sent request = tap.chunks(pair.client().address(), ChunkType.SESSION_CLOSE_REQUEST).get(0);
            final WireTap.Sent ack = tap.chunks(pair.server().address(), ChunkType.SESSION_CLOSE_ACK).get(0);
            assertThat(request.sendNs() - closing).isBetween(0L, MS);
            assertThat(ack.sendNs() - request.packet().releaseNs()).isBetween(0L, MS);
            assertThat(pair.client().events.closed).containsExactly(CloseReason.LOCAL_CLOSE);
            assertThat(pair.server().events.closed).containsExactly(CloseReason.REMOTE_CLOSE);
            assertThat(pair.serverSession().state()).isEqualTo(SessionState.FARCLOSE_LINGER);
            final long lingerFrom = request.packet().releaseNs();

            harness.awaitUntil("server released", () -> SessionState.CLOSED == pair.serverSession().state(),
                25 * SECOND);
            assertThat(harness.nowNs() - lingerFrom).as("§3.5.5: 19 s of S_FARCLOSE_LINGER")
                .isBetween(19 * SECOND, 19 * SECOND + 3 * MS);
            assertThat(pair.server().endpoint().openSessions()).isZero();
            assertThat(pair.client().endpoint().openSessions()).isZero();
        }
    }

    @Test
    void anUnansweredCloseRequestIsRepeatedEveryFiveSecondsUntilNinetySeconds()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(604))
        {
            final WireTap tap = harness.tap(); // from the start: the last handshake packet counts as heard
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            harness.link(pair.server(), pair.client()).blackhole(true); // every Close Ack is lost
            final long closing = harness.nowNs();
            pair.client().endpoint().close(pair.clientSession());
            harness.awaitUntil("client gives up", () -> SessionState.CLOSED == pair.clientSession().state(),
                100 * SECOND);
            assertThat(harness.nowNs() - closing).as("§3.5.5: S_NEARCLOSE for 90 s")
                .isBetween(90 * SECOND, 90 * SECOND + 3 * MS);
            final List<Long> requests = tap.chunks(pair.client().address(), ChunkType.SESSION_CLOSE_REQUEST)
                .stream().map(WireTap.Sent::sendNs).toList();
            assertThat(requests).hasSize(18);
            for (int i = 1; i < requests.size(); i++)
            {
                assertThat(requests.get(i) - requests.get(i - 1)).isBetween(5 * SECOND, 5 * SECOND + 3 * MS);
            }
            // the server acknowledged every request it got while it lingered, then forgot the session
            final List<WireTap.Sent> acks = tap.chunks(pair.server().address(), ChunkType.SESSION_CLOSE_ACK);
            assertThat(acks).hasSizeBetween(4, 5);
            assertThat(pair.server().events.closed).containsExactly(CloseReason.REMOTE_CLOSE);
            assertThat(pair.serverSession().state()).isEqualTo(SessionState.CLOSED);
        }
    }
}
