package io.flowcast.engine.virtualtime;

import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.cc.DelaySensitiveCongestionControl;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import org.junit.jupiter.api.Test;

import static io.flowcast.engine.cc.CongestionControl.CWND_INIT;
import static io.flowcast.engine.cc.CongestionControl.CWND_TIMEDOUT;
import static io.flowcast.engine.cc.CongestionControl.SMSS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The congestion controllers through the public {@link CongestionControl} interface, event by event, against
 * RFC 7016 Appendix A (Figures 24 and 25), with virtual times passed to {@code onPacketEnd}.
 */
class VirtualTimeCongestionControlTest
{
    private static final boolean FAST = true;

    /** One received packet: its acks of {@code acked} bytes, with {@code outstanding} bytes in flight before. */
    private static void ackPacket(
        final CongestionControl cc, final long outstanding, final long acked, final long nowNs, final long srttMs,
        final long minRttMs, final boolean timeCritical, final boolean fastGrow)
    {
        cc.onPacketStart(outstanding);
        cc.onAcknowledged(acked);
        cc.onPacketEnd(nowNs, srttMs, minRttMs, timeCritical, fastGrow);
    }

    private static void ack(final CongestionControl cc, final long outstanding, final long acked)
    {
        ackPacket(cc, outstanding, acked, 0, 100, 100, false, FAST);
    }

    private static void loss(final CongestionControl cc, final long outstanding, final boolean tc, final boolean fast)
    {
        cc.onPacketStart(outstanding);
        cc.onAcknowledged(SMSS);
        cc.onNegativeAcknowledgement();
        cc.onLoss();
        cc.onPacketEnd(0, 100, 100, tc, fast);
    }

    @Test
    void rfcStartsWithTheInitialWindowAndAnInfiniteThreshold()
    {
        final RfcCongestionControl cc = new RfcCongestionControl();
        assertThat(cc.window()).isEqualTo(CWND_INIT);
        assertThat(cc.slowStartThreshold()).isEqualTo(Long.MAX_VALUE);
        assertThat(cc.name()).isEqualTo("rfc7016");
    }

    @Test
    void rfcSlowStartGrowsByTheBytesAckedCappedAtOneSegmentPerPacket()
    {
        final RfcCongestionControl cc = new RfcCongestionControl();
        ack(cc, CWND_INIT, 1000);
        assertThat(cc.window()).isEqualTo(CWND_INIT + 1000);
        ack(cc, cc.window(), 3 * SMSS); // one packet acking three segments: MIN(INCREASE, SMSS)
        assertThat(cc.window()).isEqualTo(CWND_INIT + 1000 + SMSS);
        // a round trip of acks for a whole window, one segment per ack packet: the window doubles
        final long before = cc.window();
        for (long acked = 0; acked < before; acked += SMSS)
        {
            ack(cc, cc.window(), SMSS);
        }
        assertThat(cc.window()).isBetween(2 * before - SMSS, 2 * before + SMSS);
    }

    @Test
    void rfcDoesNotGrowWhenNotWindowLimitedOrWhenAPacketCarriesNaks()
    {
        final RfcCongestionControl cc = new RfcCongestionControl();
        ack(cc, CWND_INIT - 1, SMSS); // PRE_ACK_OUTSTANDING < CWND: the application, not the window, limits
        assertThat(cc.window()).isEqualTo(CWND_INIT);
        cc.onPacketStart(CWND_INIT);
        cc.onAcknowledged(SMSS);
        cc.onNegativeAcknowledgement(); // ANY_NAKS
        cc.onPacketEnd(0, 100, 100, false, FAST);
        assertThat(cc.window()).isEqualTo(CWND_INIT);
        cc.onPacketStart(CWND_INIT); // no ack chunk at all: ANY_ACKS false
        cc.onPacketEnd(0, 100, 100, false, FAST);
        assertThat(cc.window()).isEqualTo(CWND_INIT);
    }

    @Test
    void rfcLossHalvesBelowTheScalableThresholdAndCutsAnEighthAbove()
    {
        final RfcCongestionControl half = new RfcCongestionControl();
        loss(half, 40_000, false, FAST);
        assertThat(half.slowStartThreshold()).isEqualTo(20_000);
        assertThat(half.window()).isEqualTo(20_000);

        final RfcCongestionControl scalable = new RfcCongestionControl();
        loss(scalable, 100_000, false, FAST); // > 67,200 and FASTGROW_ALLOWED
        assertThat(scalable.window()).isEqualTo(87_500);

        final RfcCongestionControl yielding = new RfcCongestionControl();
        loss(yielding, 100_000, false, false); // far end reports time-critical data from others: yield, halve
        assertThat(yielding.window()).isEqualTo(50_000);

        final RfcCongestionControl timeCritical = new RfcCongestionControl();
        loss(timeCritical, 40_000, true, false); // TC_SENT: one eighth whatever the size
        assertThat(timeCritical.window()).isEqualTo(35_000);

        final RfcCongestionControl small = new RfcCongestionControl();
        loss(small, 4_000, false, FAST);
        assertThat(small.window()).as("never below CWND_INIT").isEqualTo(CWND_INIT);
    }

    @Test
    void rfcCongestionAvoidanceAdds768BytesPerRoundTripAndHalfThatWhenYielding()
    {
        final RfcCongestionControl cc = new RfcCongestionControl();
        loss(cc, 40_000, false, FAST); // CWND = SSTHRESH = 20,000: congestion avoidance
        final long start = cc.window();
        // a window's worth of acks in segments: AITHRESH = MIN(MAX(CWND/16, 64), 4800) = 1,250 → 16 × 48 bytes
        for (long acked = 0; acked < start; acked += 1250)
        {
            ack(cc, cc.window(), 1250);
        }
        assertThat(cc.window() - start).isBetween(720L, 768L);

        final RfcCongestionControl yielding = new RfcCongestionControl();
        // FASTGROW_ALLOWED false and not sending time-critical data: no slow start, 24 bytes per AITHRESH
        for (long acked = 0; acked < CWND_INIT; acked += 225)
        {
            ackPacket(yielding, yielding.window(), 225, 0, 100, 100, false, false);
        }
        assertThat(yielding.window() - CWND_INIT).isBetween(360L, 384L);

        final RfcCongestionControl tcSlowStart = new RfcCongestionControl();
        ackPacket(tcSlowStart, CWND_INIT, 1001, 0, 100, 100, true, false); // CEIL(ACKED / 4)
        assertThat(tcSlowStart.window()).isEqualTo(CWND_INIT + 251);
    }

    @Test
    void rfcTimeoutCollapsesTheWindow()
    {
        final RfcCongestionControl cc = new RfcCongestionControl();
        for (int i = 0; i < 20; i++)
        {
            ack(cc, cc.window(), SMSS);
        }
        final long grown = cc.window();
        cc.onTimeout(true);
        assertThat(cc.window()).as("CWND_TIMEDOUT").isEqualTo(CWND_TIMEDOUT);
        assertThat(cc.slowStartThreshold()).as("MAX(infinity, ...) as written").isEqualTo(Long.MAX_VALUE);

        loss(cc, 40_000, false, FAST); // SSTHRESH 20,000
        for (int i = 0; i < 30; i++)
        {
            ack(cc, cc.window(), 2 * SMSS);
        }
        final long beforeTimeout = cc.window();
        cc.onTimeout(true);
        assertThat(cc.slowStartThreshold()).isEqualTo(Math.max(20_000, beforeTimeout * 3 / 4));
        assertThat(cc.window()).isEqualTo(CWND_TIMEDOUT);
        ack(cc, CWND_TIMEDOUT, 100);
        assertThat(cc.window()).as("grows back to at least CWND_INIT").isEqualTo(CWND_INIT);
        cc.onTimeout(false);
        assertThat(cc.window()).as("a timeout with nothing in flight").isEqualTo(CWND_INIT);
        assertThat(grown).isGreaterThan(CWND_INIT);
    }

    @Test
    void delaySensitiveIsTheRfcAlgorithmWhileTheQueueIsShort()
    {
        final RfcCongestionControl rfc = new RfcCongestionControl();
        final DelaySensitiveCongestionControl delay = new DelaySensitiveCongestionControl(25);
        long now = 0;
        for (int i = 0; i < 200; i++)
        {
            now += MS;
            final boolean lose = i % 37 == 36;
            for (final CongestionControl cc : new CongestionControl[] { rfc, delay })
            {
                if (lose)
                {
                    loss(cc, cc.window(), false, FAST);
                }
                else
                {
                    ackPacket(cc, cc.window(), SMSS, now, 120, 100, false, FAST); // 20 ms of queue < 25 ms
                }
            }
            assertThat(delay.window()).as("packet %d", i).isEqualTo(rfc.window());
        }
        assertThat(delay.name()).isEqualTo("delay");
    }

    @Test
    void delaySensitiveCutsAnEighthOncePerRoundTripAndDoesNotGrowWhileQueueing()
    {
        final DelaySensitiveCongestionControl cc = new DelaySensitiveCongestionControl(25);
        long now = 1_000 * MS;
        for (int i = 0; i < 30; i++)
        {
            ackPacket(cc, cc.window(), SMSS, now, 100, 100, false, FAST);
        }
        final long grown = cc.window();
        // SRTT 150 ms against a least RTT of 100 ms: 50 ms of queue, over the 25 ms target
        ackPacket(cc, cc.window(), SMSS, now, 150, 100, false, FAST);
        assertThat(cc.window()).isEqualTo(grown * 7 / 8);
        // within the same round trip (150 ms): no second cut and no growth
        for (int i = 0; i < 10; i++)
        {
            now += 10 * MS;
            ackPacket(cc, cc.window(), SMSS, now, 150, 100, false, FAST);
            assertThat(cc.window()).isEqualTo(grown * 7 / 8);
        }
        now += 60 * MS; // 160 ms after the first cut
        ackPacket(cc, cc.window(), SMSS, now, 150, 100, false, FAST);
        assertThat(cc.window()).isEqualTo(grown * 7 / 8 * 7 / 8);
        // the queue drained: growth resumes from the cap, at most a segment per packet
        final long capped = cc.window();
        ackPacket(cc, cc.window(), SMSS, now + MS, 100, 100, false, FAST);
        assertThat(cc.window()).isBetween(capped + 1, capped + SMSS);
        // a timeout still collapses the window, and forgets the cap
        cc.onTimeout(true);
        assertThat(cc.window()).isEqualTo(CWND_TIMEDOUT);
    }

    @Test
    void fixedWindowIgnoresLossTimeoutsAndDelay()
    {
        final FixedWindowCongestionControl cc = new FixedWindowCongestionControl(64 * 1024);
        loss(cc, 64 * 1024, false, FAST);
        cc.onTimeout(true);
        ackPacket(cc, 64 * 1024, 10 * SMSS, 0, 500, 10, true, false);
        assertThat(cc.window()).isEqualTo(64 * 1024);
        assertThat(cc.slowStartThreshold()).isEqualTo(Long.MAX_VALUE);
        assertThat(cc.name()).isEqualTo("fixed");
    }
}
