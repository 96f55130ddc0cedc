package io.flowcast.engine.cc;

/**
 * A constant window that ignores loss and delay: for private networks whose capacity is provisioned (telemetry on a
 * dedicated link, trading LANs). It is not TCP-compatible (§3.5.2) and must not be used on shared paths; selecting it
 * is an explicit configuration choice.
 */
public final class FixedWindowCongestionControl implements CongestionControl
{
    private final long window;

    /**
     * @param windowBytes bytes allowed in flight.
     */
    public FixedWindowCongestionControl(final long windowBytes)
    {
        if (windowBytes < SMSS)
        {
            throw new IllegalArgumentException("window must be at least " + SMSS + " bytes: " + windowBytes);
        }
        this.window = windowBytes;
    }

    @Override
    public void onPacketStart(final long outstandingBytes)
    {
    }

    @Override
    public void onAcknowledged(final long bytes)
    {
    }

    @Override
    public void onNegativeAcknowledgement()
    {
    }

    @Override
    public void onLoss()
    {
    }

    @Override
    public void onPacketEnd(
        final long nowNs, final long srttMs, final long minRttMs, final boolean timeCritical,
        final boolean fastGrowAllowed)
    {
    }

    @Override
    public void onTimeout(final boolean wasLoss)
    {
    }

    @Override
    public long window()
    {
        return window;
    }

    @Override
    public long slowStartThreshold()
    {
        return Long.MAX_VALUE;
    }

    @Override
    public String name()
    {
        return "fixed";
    }
}
