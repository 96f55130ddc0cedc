package io.flowcast.engine.virtualtime;

import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.DelaySensitiveCongestionControl;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import io.flowcast.engine.transport.LinkSchedule;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each congestion controller end to end, one bulk flow through a 1 MB/s bottleneck with a 60 KB drop-tail queue and
 * 40 ms each way (BDP 80 KB), for 40 s of virtual time: the RFC algorithm fills the link and saws (slow start, cuts
 * on queue overflow, growth again); the delay-sensitive one keeps the queue, and so the RTT, shorter; a fixed window
 * below the BDP never overflows the queue and sends at window / RTT.
 */
@Timeout(120)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeBottleneckTest
{
    private static final long RATE = 1_000_000;
    private static final int QUEUE = 60_000;
    private static final long DELAY = 40 * MS;
    private static final long RUN = 40 * SECOND;

    /** What one run measured. */
    private record Run(
        String name, double goodputBytesPerSecond, long maxCwnd, int cuts, double meanSrttMs, long queueDrops,
        long retransmissions, boolean inOrder)
    {
    }

    private static Run run(final long seed, final Supplier<CongestionControl> strategy)
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(seed))
        {
            final VirtualTimeTesting.Pair pair = pair(harness, DELAY, null);
            final LinkSchedule bottleneck = harness.link(pair.client(), pair.server()).bandwidth(RATE, QUEUE);
            final SendFlow flow = pair.clientSession().openFlow("bulk".getBytes(StandardCharsets.UTF_8), null,
                new FlowOptions().congestionControl(strategy));
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
            final long[] index = { 0 };
            final long[] maxCwnd = { 0 };
            final long[] previous = { 0 };
            final int[] cuts = { 0 };
            final long[] srttSum = { 0, 0 };
            final long start = harness.nowNs();
            harness.runUntil(() ->
            {
                while (flow.fragmentsQueued() < 256)
                {
                    message.putLong(0, index[0]);
                    if (flow.offer(message, 0, message.capacity()) < 0)
                    {
                        break;
                    }
                    index[0]++;
                }
                final long cwnd = flow.congestionWindow();
                maxCwnd[0] = Math.max(maxCwnd[0], cwnd);
                if (cwnd < previous[0] * 0.95)
                {
                    cuts[0]++;
                }
                previous[0] = cwnd;
                final long t = harness.nowNs() - start;
                if (t > 10 * SECOND && t % (100 * MS) == 0)
                {
                    srttSum[0] += pair.clientSession().srttMillis();
                    srttSum[1]++;
                }
                return false;
            }, RUN);
            final long delivered = pair.server().flows.messages.size();
            boolean inOrder = true;
            for (int i = 0; i < delivered; i++)
            {
                inOrder &= pair.server().flows.messages.get(i).index() == i;
            }
            final Run result = new Run(flow.congestionControl().name(), delivered * 1000.0 / (RUN / 1e9), maxCwnd[0],
                cuts[0], srttSum[0] / (double)Math.max(1, srttSum[1]), bottleneck.queueDropped(),
                flow.retransmissions(), inOrder);
            System.out.println(result);
            return result;
        }
    }

    @Test
    void rfcFillsTheLinkAndSawsDelaySensitiveKeepsTheQueueShorterFixedStaysBelowIt()
    {
        final Run rfc = run(501, RfcCongestionControl::new);
        assertThat(rfc.inOrder()).isTrue();
        assertThat(rfc.goodputBytesPerSecond()).as("fills the bottleneck").isGreaterThan(0.75 * RATE);
        assertThat(rfc.maxCwnd()).as("grew past the BDP into the queue").isGreaterThan(80_000);
        assertThat(rfc.queueDrops()).as("overflowed the queue").isPositive();
        assertThat(rfc.cuts()).as("cut more than once: a sawtooth").isGreaterThan(2);
        assertThat(rfc.meanSrttMs()).as("the queue adds delay").isGreaterThan(90);

        final Run delay = run(502, () -> new DelaySensitiveCongestionControl(25));
        assertThat(delay.inOrder()).isTrue();
        assertThat(delay.meanSrttMs()).as("a shorter queue").isLessThan(rfc.meanSrttMs());
        assertThat(delay.goodputBytesPerSecond()).isGreaterThan(0.5 * RATE);

        final Run fixed = run(503, () -> new FixedWindowCongestionControl(30_000));
        assertThat(fixed.inOrder()).isTrue();
        assertThat(fixed.queueDrops()).isZero();
        assertThat(fixed.retransmissions()).isZero();
        assertThat(fixed.maxCwnd()).isEqualTo(30_000);
        assertThat(fixed.cuts()).isZero();
        // window / RTT: 30 KB per ~85 ms (fragments of 1,000 bytes plus headers on the link)
        assertThat(fixed.goodputBytesPerSecond()).isBetween(250_000.0, 400_000.0);
    }
}
