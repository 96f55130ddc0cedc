package io.flowcast.engine.virtualtime;

import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * A reliable ordered flow through loss both ways (0, 1, 10, 30 %), 2 % duplication, 20 ms delay and 0-8 ms jitter
 * (reordering), in virtual time: a minute of paced messages (mostly small, some of a few fragments, a few of
 * 10-200 KB) per case, every message delivered exactly once, in order, intact; then the flow closes at both ends.
 */
@Timeout(120)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeReliabilityTest
{
    /** The messages sent but not delivered, for the failure message. */
    static List<String> missing(
        final List<VirtualTimeHarness.Message> sent, final List<VirtualTimeHarness.Message> received)
    {
        final java.util.Set<Long> seen = new java.util.HashSet<>();
        received.forEach((m) -> seen.add(m.index()));
        return sent.stream().filter((m) -> !seen.contains(m.index()))
            .map((m) -> m.index() + " (" + m.length() + " B, offered at " + m.atNs() / 1e6 + " ms)").toList();
    }

    @ParameterizedTest(name = "loss {0}")
    @CsvSource({ "0.0, 3000", "0.01, 3000", "0.10, 1500", "0.30, 400" })
    void everyMessageArrivesOnceInOrderIntact(final double loss, final int count)
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(800 + (long)(loss * 100)))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, 20 * MS, null);
            harness.links(pair.client(), pair.server(), (link) -> link.loss(loss).duplicate(0.02).jitter(8 * MS));
            final SendFlow flow = pair.clientSession().openFlow("reliable".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(11);
            final List<VirtualTimeHarness.Message> sent = new ArrayList<>();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            final long intervalNs = 60 * SECOND / count;
            final long start = harness.nowNs();
            final byte[][] pending = { null };
            final int[] next = { 0 };
            final int[] backPressured = { 0 };
            harness.awaitUntil("every message delivered and acknowledged", () ->
            {
                while (next[0] < count && harness.nowNs() - start >= next[0] * intervalNs)
                {
                    if (null == pending[0])
                    {
                        final int kind = random.nextInt(100);
                        final int length = kind < 75 ? 8 + random.nextInt(200) :
                            kind < 97 ? 1000 + random.nextInt(4000) : 10_000 + random.nextInt(190_000);
                        pending[0] = message(next[0], length, random);
                    }
                    buffer.wrap(pending[0]);
                    final long rc = flow.offer(buffer, 0, pending[0].length);
                    if (OfferStatus.BACK_PRESSURED == rc)
                    {
                        backPressured[0]++;
                        break;
                    }
                    assertThat(rc).as("offer").isPositive();
                    sent.add(new VirtualTimeHarness.Message(flow.flowId(), next[0], pending[0].length,
                        VirtualTimeHarness.crc(pending[0]), harness.nowNs()));
                    pending[0] = null;
                    next[0]++;
                }
                // not flow.messagesAcknowledged(): it counts a message once its last fragment is acknowledged (see
                // VirtualTimeFlowTest.aMessageCountsAsAcknowledgedOnlyWhenAllItsFragmentsAre)
                return next[0] == count && pair.server().flows.messages.size() == count &&
                    0 == flow.fragmentsQueued();
            }, 10 * 60 * SECOND);

            final List<VirtualTimeHarness.Message> received = pair.server().flows.messages;
            assertThat(received).as("delivered (missing %s)", missing(sent, received)).hasSize(count);
            for (int i = 0; i < count; i++)
            {
                final VirtualTimeHarness.Message expected = sent.get(i);
                final VirtualTimeHarness.Message actual = received.get(i);
                assertThat(actual.index()).as("message %d in order", i).isEqualTo(expected.index());
                assertThat(actual.length()).as("message %d length", i).isEqualTo(expected.length());
                assertThat(actual.crc()).as("message %d intact", i).isEqualTo(expected.crc());
            }
            assertThat(pair.server().flows.gaps).isZero();
            final ReceiveFlow receiving = pair.server().flows.opened.get(0);
            System.out.printf("loss %.2f: %d messages (%d of 10 KB+) over %.1f s simulated, %d fragments sent, %d " +
                "retransmitted, %d duplicates seen by the flow, %d back-pressured offers, cwnd %d, srtt %d ms%n",
                loss, count, sent.stream().filter((m) -> m.length() >= 10_000).count(),
                (harness.nowNs() - start) / 1e9, flow.fragmentsSent(), flow.retransmissions(),
                receiving.duplicates(), backPressured[0], flow.congestionWindow(), pair.clientSession().srttMillis());
            assertThat(flow.messagesAcknowledged()).isEqualTo(count);
            if (loss > 0)
            {
                assertThat(flow.retransmissions()).isPositive();
            }

            // §3.6.2.11 / §3.6.3.8: the sender closes; the receiver sees the final sequence number and closes
            flow.close();
            harness.awaitUntil("flow closed at both ends", () -> !pair.server().flows.closed.isEmpty() &&
                SendFlow.F_COMPLETE_LINGER == flow.state(), 60 * SECOND);
            assertThat(pair.server().flows.closed).containsExactly(receiving);
        }
    }
}
