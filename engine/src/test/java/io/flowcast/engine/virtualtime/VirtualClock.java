package io.flowcast.engine.virtualtime;

import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.NanoClock;

/**
 * Time that moves only when the test says so: one {@link NanoClock} and {@link EpochClock} for every endpoint and the
 * network of a {@link VirtualTimeHarness}. Starts far from zero (so code that treats 0 as "never" is caught) and at a
 * fixed epoch (2026-01-01T00:00:00Z), so runs are reproducible. Single-threaded, like the harness.
 */
public final class VirtualClock implements NanoClock, EpochClock
{
    /** {@link #nanoTime()} at the start. */
    public static final long START_NS = 1_000_000_000_000L;
    /** {@link #time()} at the start: 2026-01-01T00:00:00Z in ms. */
    public static final long START_EPOCH_MS = 1_767_225_600_000L;

    private long nowNs = START_NS;

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    @Override
    public long time()
    {
        return START_EPOCH_MS + (nowNs - START_NS) / 1_000_000L;
    }

    /**
     * @param nanos how far to move time forward (>= 0).
     */
    public void advance(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("time does not go back: " + nanos);
        }
        nowNs += nanos;
    }

    /**
     * @return simulated nanoseconds since the start.
     */
    public long elapsedNs()
    {
        return nowNs - START_NS;
    }

    @Override
    public String toString()
    {
        return String.format("t=%.3f s", elapsedNs() / 1e9);
    }
}
