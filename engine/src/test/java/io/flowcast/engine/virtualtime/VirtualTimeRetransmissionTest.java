package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.transport.DatagramTap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * §3.5.2.2 and §3.6.2.5-6 in virtual time: ERTO starts at 3 s, follows SRTT + 4 RTTVAR + 200 ms with a 250 ms floor
 * and never below the RTT; a timeout backs ERTO off by √2 up to 10 s, seen as the spacing of the retransmissions
 * on the wire; a loss inside a window is repaired after three negative acknowledgements, before any timeout.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeRetransmissionTest
{
    @Test
    void ertoStartsAtThreeSecondsThenFollowsTheRoundTripWithinItsBounds()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(301))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 0, null);
            if (pair.clientSession().srttMillis() < 0)
            {
                assertThat(pair.clientSession().ertoMillis()).as("§3.5.2.2: initially 3 s").isEqualTo(3000);
            }
            final SendFlow flow = pair.clientSession().openFlow("rtt".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(1);
            pair.sendOneByOne(flow, 0, 20, random, 5 * SECOND, 50 * MS);
            // no delay: the RTT is the step (< one 4 ms tick); MRTO ≈ 200 ms, so the 250 ms floor applies
            assertThat(pair.clientSession().srttMillis()).isBetween(0L, 8L);
            assertThat(pair.clientSession().ertoMillis()).isEqualTo(250);

            // now 300 ms each way: ERTO = SRTT + 4 RTTVAR + 200 and at least the RTT
            harness.links(pair.client(), pair.server(), (link) -> link.delay(300 * MS));
            pair.sendOneByOne(flow, 20, 60, random, 20 * SECOND, 0);
            final long srtt = pair.clientSession().srttMillis();
            final long rttvar = pair.clientSession().rttvarMillis();
            final long erto = pair.clientSession().ertoMillis();
            System.out.printf("600 ms RTT: srtt %d rttvar %d erto %d ms%n", srtt, rttvar, erto);
            assertThat(srtt).as("timestamps in 4 ms ticks, plus the delayed ack of a lone packet")
                .isBetween(596L, 900L);
            assertThat(erto).isEqualTo(Math.max(srtt + 4 * rttvar + 200, 250));
            assertThat(erto).as("never below the RTT").isGreaterThanOrEqualTo(600);
            // the jump from 0 to 600 ms RTT with ERTO at 250 ms times out a few times; once adapted, no more
            final long retransmitted = flow.retransmissions();
            pair.sendOneByOne(flow, 60, 80, random, 20 * SECOND, 0);
            assertThat(flow.retransmissions()).as("no spurious timeout once adapted").isEqualTo(retransmitted);
        }
    }

    @Test
    void eachTimeoutBacksErtoOffByRootTwoUpToTenSeconds()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(302))
        {
            // no keepalive from the server during the partition: its Ping would bring a fresh RTT sample (see
            // aTimestampEchoOfTheFarEndsKeepaliveRestartsTheBackOff)
            final VirtualTimeTesting.Pair pair = pair(harness, 10 * MS, (context) -> context
                .keepaliveInterval(60, java.util.concurrent.TimeUnit.SECONDS)
                .deadPeerTimeout(120, java.util.concurrent.TimeUnit.SECONDS));
            final SendFlow flow = pair.clientSession().openFlow("backoff".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(2);
            pair.sendOneByOne(flow, 0, 5, random, 5 * SECOND, 0);
            final long erto0 = pair.clientSession().ertoMillis();
            final WireTap tap = harness.tap();
            harness.link(pair.client(), pair.server()).blackhole(true);
            final long sn = pair.send(flow, message(5, 100, random));
            harness.runFor(45 * SECOND);

            final List<Long> sends = new ArrayList<>();
            for (final WireTap.Sent data : tap.data(pair.client().address()))
            {
                if (data.chunk().sequenceNumber() == sn)
                {
                    assertThat(data.packet().fate()).isEqualTo(DatagramTap.BLACKHOLED);
                    sends.add(data.sendNs());
                }
            }
            // expected ERTO before each retransmission, by §3.5.2.2's back-off (MRTO is below 250 ms here)
            long erto = erto0;
            final StringBuilder seen = new StringBuilder();
            for (int i = 1; i < sends.size(); i++)
            {
                final long interval = sends.get(i) - sends.get(i - 1);
                seen.append(String.format(" %.1f", interval / 1e6));
                assertThat(interval).as("retransmission %d after %d ms of ERTO (seen:%s)", i, erto, seen)
                    .isBetween(erto * MS, erto * MS + 3 * MS);
                erto = Math.max(Math.min((long)(erto * 1.4142), 10_000), 250);
            }
            System.out.println("intervals between retransmissions (ms):" + seen);
            assertThat(sends).as("initial ERTO %d ms", erto0).hasSizeGreaterThanOrEqualTo(12);
            assertThat(sends.get(sends.size() - 1) - sends.get(sends.size() - 2)).isBetween(10 * SECOND,
                10 * SECOND + 3 * MS);
            assertThat(pair.clientSession().ertoMillis()).isEqualTo(10_000);

            // healed: the next retransmission gets through and the message is acknowledged
            harness.link(pair.client(), pair.server()).blackhole(false);
            harness.awaitUntil("acked after the partition", () -> flow.messagesAcknowledged() == 6, 12 * SECOND);
            assertThat(pair.server().flows.messages).hasSize(6);
        }
    }

    /**
     * As RFC 7016 §3.5.2.2 is written, every new timestamp echo sets ERTO from MRTO again. In a one-way partition
     * (our packets lost, the far end's arriving) the far end's keepalive Ping echoes our last timestamp advanced by
     * the time it held it, which is a valid RTT sample: the back-off restarts from MRTO although nothing we sent got
     * through. This pins that behaviour (TCP's Karn rule would keep the backed-off value until new data is acked).
     */
    @Test
    void aTimestampEchoOfTheFarEndsKeepaliveRestartsTheBackOff()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(304))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 10 * MS, null);
            final SplittableRandom random = new SplittableRandom(4);
            final SendFlow flow = pair.warmFlow("reset", null, random);
            final WireTap tap = harness.tap();
            harness.link(pair.client(), pair.server()).blackhole(true);
            final long sn = pair.send(flow, message(1, 100, random));
            harness.runFor(20 * SECOND);
            final List<Long> sends = tap.data(pair.client().address()).stream()
                .filter((d) -> d.chunk().sequenceNumber() == sn).map(WireTap.Sent::sendNs).toList();
            final List<WireTap.Sent> pings = tap.chunks(pair.server().address(), ChunkType.PING);
            assertThat(pings).as("the server's keepalive").isNotEmpty();
            final long pingArrives = pings.get(0).packet().releaseNs();
            int reset = -1;
            for (int i = 2; i < sends.size() && reset < 0; i++)
            {
                if (sends.get(i) - sends.get(i - 1) < sends.get(i - 1) - sends.get(i - 2))
                {
                    reset = i;
                }
            }
            System.out.printf("retransmissions at %s ms; the server's Ping arrived at %.1f ms%n",
                sends.stream().map((t) -> String.format("%.0f", t / 1e6)).toList(), pingArrives / 1e6);
            assertThat(reset).as("the back-off restarted").isPositive();
            // the alarm pending when the Ping arrived still fires at the old ERTO; the one after uses MRTO
            assertThat(pingArrives).as("the Ping arrived just before the restart")
                .isBetween(sends.get(reset - 2), sends.get(reset - 1));
            assertThat(sends.get(reset) - sends.get(reset - 1)).as("from MRTO").isLessThan(400 * MS);
        }
    }

    @Test
    void aLossInsideAWindowIsRepairedAfterThreeNaksBeforeAnyTimeout()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(303))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 25 * MS, null);
            final SendFlow flow = pair.clientSession().openFlow("nak".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 50; i++)
            {
                pair.send(flow, message(i, 1000, random));
            }
            harness.awaitUntil("warm", () -> flow.messagesAcknowledged() == 50, 10 * SECOND);
            final WireTap tap = harness.tap();
            final long base = harness.link(pair.client(), pair.server()).sent();
            harness.link(pair.client(), pair.server()).drop((index) -> index == base + 4);
            for (int i = 50; i < 150; i++)
            {
                pair.send(flow, message(i, 1000, random));
            }
            harness.awaitUntil("all acked", () -> flow.messagesAcknowledged() == 150, 10 * SECOND);
            final List<WireTap.Sent> data = tap.data(pair.client().address());
            final WireTap.Sent lost = data.stream().filter((d) -> d.packet().fate() == DatagramTap.DROPPED_CHOSEN)
                .findFirst().orElseThrow();
            final List<WireTap.Sent> again = data.stream()
                .filter((d) -> d.chunk().sequenceNumber() == lost.chunk().sequenceNumber() && d != lost).toList();
            assertThat(again).as("sent again once").hasSize(1);
            final long repairNs = again.get(0).sendNs() - lost.sendNs();
            System.out.printf("repaired %.1f ms after the loss (ERTO %d ms)%n", repairNs / 1e6,
                pair.clientSession().ertoMillis());
            // three later fragments acknowledged beyond it: a round trip or two (50 ms each), before ERTO
            assertThat(repairNs).as("one to three round trips").isBetween(50 * MS, 153 * MS);
            assertThat(repairNs).isLessThan(pair.clientSession().ertoMillis() * MS);
            assertThat(flow.retransmissions()).isEqualTo(1);
            assertThat(pair.server().flows.messages).hasSize(150);
        }
    }
}
