package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.message;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * §3.6.3.4 acknowledgements as seen on the wire, with virtual times: the 200 ms delayed ack, the immediate acks
 * (a new flow, every second data packet, a duplicate, a gap), and the choice of the more compact of Bitmap and Ranges.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeAckTest
{
    private static final long DELAY = 20 * MS;

    /** The first ack from the server sent at or after {@code fromNs}. */
    private static WireTap.Sent firstAckAfter(final WireTap tap, final VirtualTimeTesting.Pair pair, final long fromNs)
    {
        for (final WireTap.Sent ack : tap.acks(pair.server().address()))
        {
            if (ack.sendNs() >= fromNs)
            {
                return ack;
            }
        }
        throw new AssertionError("no ack after " + fromNs / 1e6 + " ms; " + pair.harness().describe());
    }

    @Test
    void aLoneDataPacketIsAcknowledgedAfterTheDelayedAckTimerAndANewFlowAtOnce()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(201))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final WireTap tap = harness.tap();
            final SplittableRandom random = new SplittableRandom(2);
            final SendFlow flow = pair.warmFlow("acks", null, random);
            // the first packet of a new flow: acknowledged at once, i.e. in the same step it arrived
            final WireTap.Sent firstData = tap.data(pair.client().address()).get(0);
            final WireTap.Sent firstAck = firstAckAfter(tap, pair, firstData.packet().releaseNs());
            assertThat(firstAck.sendNs() - firstData.packet().releaseNs()).isLessThan(MS);

            harness.runFor(SECOND);
            pair.send(flow, message(1, 100, random));
            harness.awaitUntil("second acknowledged", () -> flow.messagesAcknowledged() == 2, 2 * SECOND);
            final List<WireTap.Sent> data = tap.data(pair.client().address());
            final WireTap.Sent lone = data.get(data.size() - 1);
            final WireTap.Sent delayed = firstAckAfter(tap, pair, lone.packet().releaseNs());
            final long wait = delayed.sendNs() - lone.packet().releaseNs();
            System.out.printf("delayed ack sent %.3f ms after the data arrived%n", wait / 1e6);
            // §3.6.3.4.4: no longer than 200 ms; the timer wheel's ~1 ms ticks and the 1 ms step add at most 3 ms
            assertThat(wait).isBetween(200 * MS, 203 * MS);
            assertThat(delayed.chunk().cumulativeAck()).isEqualTo(2);
            assertThat(delayed.chunk().ranges()).isEmpty();
        }
    }

    @Test
    void everySecondDataPacketAndEveryDuplicateIsAcknowledgedAtOnce()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(202))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final SplittableRandom random = new SplittableRandom(3);
            final SendFlow flow = pair.warmFlow("acks", null, random);
            harness.runFor(SECOND);
            final WireTap tap = harness.tap();

            // two messages of a packet each, sent together: the second packet's arrival is acknowledged at once
            pair.send(flow, message(1, 1000, random));
            pair.send(flow, message(2, 1000, random));
            harness.awaitUntil("both acknowledged", () -> flow.messagesAcknowledged() == 3, 2 * SECOND);
            final List<WireTap.Sent> pairData = tap.data(pair.client().address());
            assertThat(pairData).hasSize(2);
            final long secondArrival = pairData.get(1).packet().releaseNs();
            final WireTap.Sent ack = firstAckAfter(tap, pair, pairData.get(0).packet().releaseNs());
            assertThat(ack.sendNs() - secondArrival).as("ack of every second packet").isBetween(0L, MS);
            assertThat(ack.chunk().cumulativeAck()).isEqualTo(3);

            // a datagram duplicated by the network: the session sequence number's replay window drops the copy
            // before the flow sees it, so the lone packet still waits for the delayed ack
            harness.runFor(SECOND);
            tap.clear();
            harness.link(pair.client(), pair.server()).duplicate(1.0);
            pair.send(flow, message(3, 100, random));
            harness.awaitUntil("acknowledged", () -> flow.messagesAcknowledged() == 4, 2 * SECOND);
            harness.link(pair.client(), pair.server()).duplicate(0);
            final List<WireTap.Packet> copies = tap.packets((p) -> p.source().equals(pair.client().address()));
            assertThat(copies).extracting(WireTap.Packet::fate)
                .containsExactly(io.flowcast.engine.transport.DatagramTap.QUEUED,
                io.flowcast.engine.transport.DatagramTap.DUPLICATE);
            final WireTap.Sent replayAck = firstAckAfter(tap, pair, copies.get(0).releaseNs());
            assertThat(replayAck.sendNs() - copies.get(1).releaseNs()).isBetween(200 * MS, 203 * MS);
            final io.flowcast.engine.flow.ReceiveFlow receiving = pair.serverSession().receiveFlow(flow.flowId());
            assertThat(receiving.duplicates()).isZero();
            assertThat(pair.server().flows.messages).hasSize(4);

            // a fragment sent again because its ack was lost: a duplicate of the flow, acknowledged at once
            harness.runFor(SECOND);
            tap.clear();
            final long serverBase = harness.link(pair.server(), pair.client()).sent();
            harness.link(pair.server(), pair.client()).drop((index) -> index == serverBase);
            pair.send(flow, message(4, 100, random));
            harness.awaitUntil("acknowledged", () -> flow.messagesAcknowledged() == 5, 10 * SECOND);
            final List<WireTap.Sent> sends = tap.data(pair.client().address());
            assertThat(sends).hasSize(2);
            assertThat(sends.get(1).chunk().sequenceNumber()).isEqualTo(sends.get(0).chunk().sequenceNumber());
            final WireTap.Sent dupAck = firstAckAfter(tap, pair, sends.get(1).packet().releaseNs());
            assertThat(dupAck.sendNs() - sends.get(1).packet().releaseNs()).as("duplicate acknowledged at once")
                .isBetween(0L, MS);
            assertThat(receiving.duplicates()).isEqualTo(1);
            assertThat(pair.server().flows.messages).hasSize(5);
        }
    }

    @Test
    void gapsAreAcknowledgedAtOnceWithTheMoreCompactOfBitmapAndRanges()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(203))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 50 * MS, null);
            // a wide fixed window, so that many packets overtake a lost one before it is repaired
            final SplittableRandom random = new SplittableRandom(4);
            final SendFlow flow = pair.warmFlow("gaps",
                new FlowOptions().congestionControl(() -> new FixedWindowCongestionControl(512 * 1024)), random);
            harness.runFor(SECOND);
            final WireTap tap = harness.tap();
            final long base = harness.link(pair.client(), pair.server()).sent();
            // lose the 3rd and the 40th data packets after this point (first transmissions)
            harness.link(pair.client(), pair.server()).drop((index) -> index == base + 2 || index == base + 39);
            for (int i = 1; i <= 200; i++)
            {
                pair.send(flow, message(i, 1000, random));
            }
            harness.awaitUntil("all acknowledged", () -> flow.messagesAcknowledged() == 201, 10 * SECOND);
            assertThat(pair.server().flows.messages).hasSize(201);
            assertThat(flow.retransmissions()).isGreaterThanOrEqualTo(2);

            int bitmaps = 0;
            int ranges = 0;
            for (final WireTap.Sent sent : tap.acks(pair.server().address()))
            {
                final WireTap.Chunk ack = sent.chunk();
                if (ack.ranges().isEmpty())
                {
                    continue;
                }
                // §3.6.3.4.3: whichever encodes the SEQUENCE_SET more compactly (what our encoder counts: the
                // bitmap's bytes against the range VLUs)
                final long highest = ack.ranges().get(ack.ranges().size() - 1)[1];
                final long bitmapBytes = (highest - ack.cumulativeAck() - 1 + 7) / 8;
                long rangeBytes = 0;
                long cursor = ack.cumulativeAck();
                for (final long[] range : ack.ranges())
                {
                    rangeBytes += vluLength(range[0] - cursor - 2) + vluLength(range[1] - range[0]);
                    cursor = range[1];
                }
                assertThat(ack.type()).as("%s", sent).isEqualTo(bitmapBytes < rangeBytes ?
                    ChunkType.DATA_ACK_BITMAP : ChunkType.DATA_ACK_RANGES);
                if (ChunkType.DATA_ACK_BITMAP == ack.type())
                {
                    bitmaps++;
                }
                else
                {
                    ranges++;
                }
                // a gap is acknowledged as soon as the packet that shows it arrives: the ack leaves in that step
            }
            System.out.printf("acks with gaps: %d bitmap, %d ranges%n", bitmaps, ranges);
            assertThat(bitmaps).as("bitmap acks").isPositive();
            assertThat(ranges).as("ranges acks").isPositive();

            // each data packet that arrived while a gap was open was acknowledged within the step it arrived in
            final List<WireTap.Sent> acks = tap.acks(pair.server().address());
            final WireTap.Sent hole = tap.data(pair.client().address()).stream()
                .filter((d) -> d.packet().fate() == io.flowcast.engine.transport.DatagramTap.DROPPED_CHOSEN)
                .findFirst().orElseThrow();
            final WireTap.Sent after = tap.data(pair.client().address()).stream()
                .filter((d) -> d.chunk().sequenceNumber() == hole.chunk().sequenceNumber() + 1).findFirst()
                .orElseThrow();
            final long arrival = after.packet().releaseNs();
            assertThat(acks).anyMatch((a) -> a.sendNs() >= arrival && a.sendNs() - arrival < MS &&
                a.chunk().cumulativeAck() == hole.chunk().sequenceNumber() - 1 && !a.chunk().ranges().isEmpty());
        }
    }

    private static int vluLength(final long value)
    {
        int length = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7)
        {
            length++;
        }
        return length;
    }
}
