package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.SplittableRandom;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flow control and flow lifetime timers in virtual time: a paused receiver closes its window (§3.6.3.5), the
 * sender probes it with Buffer Probes after max(1 s, ERTO) doubling up to max(60 s, ERTO) (§3.6.2.9.1) and resumes
 * when it reopens; a closed flow lingers 130 s at the sender (§3.6.2.11) and 120 s at the receiver (§3.6.3.8).
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeFlowControlTest
{
    @Test
    void aClosedWindowIsProbedWithDoublingIntervalsUpToAMinuteAndReopens()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(1001))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 20 * MS, null);
            final SplittableRandom random = new SplittableRandom(1);
            final SendFlow flow = pair.warmFlow("window", null, random);
            final ReceiveFlow receiver = pair.server().flows.opened.get(0);
            receiver.pause();
            final WireTap tap = harness.tap();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
            int offered = 1;
            while (flow.offer(message, 0, message.capacity()) > 0)
            {
                offered++;
            }
            harness.awaitUntil("window closed", () -> 0 == flow.receiveWindow(), 10 * SECOND);
            harness.runFor(200 * SECOND);

            final List<WireTap.Sent> probes = tap.chunks(pair.client().address(), ChunkType.BUFFER_PROBE);
            final StringBuilder seen = new StringBuilder();
            long expected = SECOND;
            for (int i = 1; i < probes.size(); i++)
            {
                expected = Math.min(2 * expected, 60 * SECOND);
                final long interval = probes.get(i).sendNs() - probes.get(i - 1).sendNs();
                seen.append(String.format(" %.3f", interval / 1e9));
                assertThat(interval).as("probe intervals (s):%s", seen).isBetween(expected, expected + 3 * MS);
            }
            System.out.println("buffer probe intervals (s):" + seen);
            assertThat(probes).hasSizeGreaterThanOrEqualTo(8);
            // each probe is answered at once with the still-closed window
            for (final WireTap.Sent probe : probes)
            {
                assertThat(tap.acks(pair.server().address())).anyMatch((ack) ->
                    ack.sendNs() - probe.packet().releaseNs() >= 0 && ack.sendNs() - probe.packet().releaseNs() < MS &&
                    0 == ack.chunk().bufferBlocksAvailable());
            }
            assertThat(pair.server().flows.messages).hasSize(1);

            receiver.resume();
            final int all = offered;
            harness.awaitUntil("everything delivered after resume", () ->
                pair.server().flows.messages.size() == all, 70 * SECOND);
        }
    }

    @Test
    void aClosedFlowLingersThenIsReleasedAtBothEnds()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(1002))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 20 * MS, null);
            final SendFlow flow = pair.warmFlow("short", null, new SplittableRandom(2));
            final long flowId = flow.flowId();
            flow.close();
            harness.awaitUntil("complete", () -> SendFlow.F_COMPLETE_LINGER == flow.state() &&
                !pair.server().flows.closed.isEmpty(), 5 * SECOND);
            final long completed = harness.nowNs();
            final ReceiveFlow receiver = pair.server().flows.closed.get(0);
            assertThat(receiver.state()).isEqualTo(ReceiveFlow.RF_COMPLETE_LINGER);
            final long[] released = { -1, -1 };
            harness.awaitUntil("both released", () ->
            {
                if (released[0] < 0 && null == pair.serverSession().receiveFlow(flowId))
                {
                    released[0] = harness.nowNs() - completed;
                }
                if (released[1] < 0 && null == pair.clientSession().sendFlow(flowId))
                {
                    released[1] = harness.nowNs() - completed;
                }
                return released[0] >= 0 && released[1] >= 0;
            }, 200 * SECOND);
            System.out.printf("receiver released after %.3f s, sender after %.3f s%n", released[0] / 1e9,
                released[1] / 1e9);
            // swept once a second: up to a second late
            assertThat(released[0]).as("§3.6.3.8 receiver linger").isBetween(120 * SECOND, 121 * SECOND + 3 * MS);
            assertThat(released[1]).as("§3.6.2.11 sender linger").isBetween(130 * SECOND, 131 * SECOND + 3 * MS);
            assertThat(flow.state()).isEqualTo(SendFlow.F_CLOSED);
            assertThat(receiver.state()).isEqualTo(ReceiveFlow.RF_CLOSED);
        }
    }
}
