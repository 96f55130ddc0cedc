package io.flowcast.engine.cc;

import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.FlowPair;
import io.flowcast.engine.flow.FlowReliabilityTest;
import io.flowcast.engine.flow.SendFlow;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The congestion window grows while delivery is clean and shrinks on loss; a fixed window ignores loss.
 */
@Tag("slow")
@Timeout(120)
class CongestionControlTest
{
    private static final UnsafeBuffer MESSAGE = new UnsafeBuffer(new byte[1000]);

    /** Keep the flow's queue topped up for {@code nanos}; returns the largest session cwnd seen. */
    private static long bulk(final FlowPair pair, final SendFlow flow, final long nanos)
    {
        long maxCwnd = 0;
        final long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0)
        {
            while (flow.fragmentsQueued() < 512 && flow.offer(MESSAGE, 0, MESSAGE.capacity()) > 0)
            {
                // fill
            }
            pair.doWork();
            maxCwnd = Math.max(maxCwnd, pair.clientSession.congestionWindow());
        }
        return maxCwnd;
    }

    @Test
    void windowGrowsWhenCleanAndShrinksOnLoss() throws Exception
    {
        final AtomicBoolean lossy = new AtomicBoolean();
        final SplittableRandom random = new SplittableRandom(3);
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0, 0, 0, 17, null,
            null, (index) -> lossy.get() && random.nextInt(100) < 5))
        {
            final SendFlow flow = pair.clientSession.openFlow("bulk".getBytes(StandardCharsets.UTF_8));
            final long initial = pair.clientSession.congestionWindow();
            final long cleanMax = bulk(pair, flow, TimeUnit.SECONDS.toNanos(2));
            final long cleanEnd = pair.clientSession.congestionWindow();
            final long retransmittedClean = flow.retransmissions();
            final long deliveredClean = collector.messages.size();
            lossy.set(true);
            long lossyMin = Long.MAX_VALUE;
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() - end < 0)
            {
                bulk(pair, flow, TimeUnit.MILLISECONDS.toNanos(20));
                lossyMin = Math.min(lossyMin, pair.clientSession.congestionWindow());
            }
            System.out.printf("cwnd initial %d, clean max %d end %d (%d delivered, %d retransmitted), lossy min %d, " +
                "retransmitted under loss %d%n", initial, cleanMax, cleanEnd, deliveredClean, retransmittedClean,
                lossyMin, flow.retransmissions() - retransmittedClean);
            assertThat(retransmittedClean).as("no retransmission on a clean path").isZero();
            assertThat(cleanEnd).as("window grew on a clean path").isGreaterThan(4 * initial);
            assertThat(lossyMin).as("window shrank on loss").isLessThan(cleanEnd / 2);
            assertThat(flow.retransmissions()).isGreaterThan(retransmittedClean);
        }
    }

    @Test
    void fixedWindowFlowKeepsItsWindowUnderLoss() throws Exception
    {
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0.05, 0, 0, 23, null))
        {
            final SendFlow flow = pair.clientSession.openFlow("fixed".getBytes(StandardCharsets.UTF_8), null,
                new FlowOptions().congestionControl(() -> new FixedWindowCongestionControl(64 * 1024)));
            bulk(pair, flow, TimeUnit.SECONDS.toNanos(1));
            assertThat(flow.congestionControl().name()).isEqualTo("fixed");
            assertThat(flow.congestionWindow()).isEqualTo(64 * 1024);
            assertThat(flow.retransmissions()).isPositive();
            assertThat(collector.messages.size()).isPositive();
        }
    }
}
