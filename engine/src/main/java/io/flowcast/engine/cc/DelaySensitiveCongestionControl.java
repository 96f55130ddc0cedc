package io.flowcast.engine.cc;

import java.util.concurrent.TimeUnit;

/**
 * RFC 7016 Appendix A's algorithm, plus a delay brake for latency-sensitive traffic: when the smoothed RTT rises more
 * than a target above the least RTT seen (a queue building in the path), the window is cut by one eighth, at most
 * once per round trip, and does not grow until the queue drains. Never more aggressive than the RFC algorithm, so
 * still TCP-compatible (§3.5.2); it yields to loss-based flows sooner.
 */
public final class DelaySensitiveCongestionControl implements CongestionControl
{
    private final RfcCongestionControl base = new RfcCongestionControl();
    private final long targetQueueDelayMs;
    private long cwndCap = Long.MAX_VALUE;
    private long nextCutNs;

    /**
     * @param targetQueueDelayMs the queueing delay tolerated above the least RTT, in milliseconds (e.g. 25).
     */
    public DelaySensitiveCongestionControl(final long targetQueueDelayMs)
    {
        if (targetQueueDelayMs <= 0)
        {
            throw new IllegalArgumentException("targetQueueDelayMs must be positive: " + targetQueueDelayMs);
        }
        this.targetQueueDelayMs = targetQueueDelayMs;
    }

    /**
     * A 25 ms queueing-delay target.
     */
    public DelaySensitiveCongestionControl()
    {
        this(25);
    }

    @Override
    public void onPacketStart(final long outstandingBytes)
    {
        base.onPacketStart(outstandingBytes);
    }

    @Override
    public void onAcknowledged(final long bytes)
    {
        base.onAcknowledged(bytes);
    }

    @Override
    public void onNegativeAcknowledgement()
    {
        base.onNegativeAcknowledgement();
    }

    @Override
    public void onLoss()
    {
        base.onLoss();
        cwndCap = Long.MAX_VALUE;
    }

    @Override
    public void onPacketEnd(
        final long nowNs, final long srttMs, final long minRttMs, final boolean timeCritical,
        final boolean fastGrowAllowed)
    {
        final boolean queueing = srttMs >= 0 && minRttMs >= 0 && srttMs > minRttMs + targetQueueDelayMs;
        if (queueing)
        {
            if (nowNs - nextCutNs >= 0)
            {
                cwndCap = Math.max(window() * 7 / 8, CWND_INIT);
                nextCutNs = nowNs + TimeUnit.MILLISECONDS.toNanos(Math.max(srttMs, 1));
            }
            base.onPacketEnd(nowNs, srttMs, minRttMs, timeCritical, false);
        }
        else
        {
            base.onPacketEnd(nowNs, srttMs, minRttMs, timeCritical, fastGrowAllowed);
            if (cwndCap != Long.MAX_VALUE && base.window() > cwndCap)
            {
                // the queue drained: let the window grow again from the cap, not jump back
                cwndCap = Math.min(base.window(), cwndCap + CongestionControl.SMSS);
            }
        }
    }

    @Override
    public void onTimeout(final boolean wasLoss)
    {
        base.onTimeout(wasLoss);
        cwndCap = Long.MAX_VALUE;
    }

    @Override
    public long window()
    {
        return Math.min(base.window(), cwndCap);
    }

    @Override
    public long slowStartThreshold()
    {
        return base.slowStartThreshold();
    }

    @Override
    public String name()
    {
        return "delay";
    }
}
