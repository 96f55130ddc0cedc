package io.flowcast.engine.cc;

/**
 * The default: RFC 7016 Appendix A's window algorithm, TCP-compatible (§3.5.2), with slow start, the scalable increase
 * above 67,200 bytes, a gentler decrease while sending time-critical data, and the §3.5.2.1 rules that disable fast
 * growth while the far end reports time-critical data from others.
 */
public final class RfcCongestionControl implements CongestionControl
{
    /** Above this many bytes outstanding, a loss cuts the window by one eighth rather than half (Appendix A.1). */
    static final long SCALABLE_THRESHOLD = 67_200;

    private long cwnd = CWND_INIT;
    private long ssthresh = Long.MAX_VALUE;
    private long ackedBytesAccumulator;
    private long ackedBytesThisPacket;
    private long preAckOutstanding;
    private boolean anyLoss;
    private boolean anyNaks;
    private boolean anyAcks;

    @Override
    public void onPacketStart(final long outstandingBytes)
    {
        anyLoss = false;
        anyNaks = false;
        anyAcks = false;
        ackedBytesThisPacket = 0;
        preAckOutstanding = outstandingBytes;
    }

    @Override
    public void onAcknowledged(final long bytes)
    {
        anyAcks = true;
        ackedBytesThisPacket += bytes;
    }

    @Override
    public void onNegativeAcknowledgement()
    {
        anyNaks = true;
    }

    @Override
    public void onLoss()
    {
        anyLoss = true;
    }

    @Override
    public void onPacketEnd(
        final long nowNs, final long srttMs, final long minRttMs, final boolean timeCritical,
        final boolean fastGrowAllowed)
    {
        // Appendix A Figure 25
        if (anyLoss)
        {
            if (timeCritical || (preAckOutstanding > SCALABLE_THRESHOLD && fastGrowAllowed))
            {
                ssthresh = Math.max(preAckOutstanding * 7 / 8, CWND_INIT);
            }
            else
            {
                ssthresh = Math.max(preAckOutstanding / 2, CWND_INIT);
            }
            cwnd = ssthresh;
            ackedBytesAccumulator = 0;
        }
        else if (anyAcks && !anyNaks && preAckOutstanding >= cwnd)
        {
            long increase = 0;
            if (fastGrowAllowed)
            {
                if (cwnd < ssthresh)
                {
                    increase = ackedBytesThisPacket;
                }
                else
                {
                    ackedBytesAccumulator += ackedBytesThisPacket;
                    final long aiThreshold = Math.min(Math.max(cwnd / 16, 64), 4800);
                    while (ackedBytesAccumulator >= aiThreshold)
                    {
                        ackedBytesAccumulator -= aiThreshold;
                        increase += 48;
                    }
                }
            }
            else
            {
                if (cwnd < ssthresh && timeCritical)
                {
                    increase = (ackedBytesThisPacket + 3) / 4;
                }
                else
                {
                    final long aiThresholdCap = timeCritical ? 2400 : 4800;
                    ackedBytesAccumulator += ackedBytesThisPacket;
                    final long aiThreshold = Math.min(Math.max(cwnd / 16, 64), aiThresholdCap);
                    while (ackedBytesAccumulator >= aiThreshold)
                    {
                        ackedBytesAccumulator -= aiThreshold;
                        increase += 24;
                    }
                }
            }
            cwnd = Math.max(cwnd + Math.min(increase, SMSS), CWND_INIT);
        }
    }

    @Override
    public void onTimeout(final boolean wasLoss)
    {
        // Appendix A Figure 24
        ssthresh = Math.max(ssthresh, cwnd * 3 / 4); // as written: an infinite threshold stays infinite
        ackedBytesAccumulator = 0;
        cwnd = wasLoss ? CWND_TIMEDOUT : CWND_INIT;
    }

    @Override
    public long window()
    {
        return cwnd;
    }

    @Override
    public long slowStartThreshold()
    {
        return ssthresh;
    }

    @Override
    public String name()
    {
        return "rfc7016";
    }
}
