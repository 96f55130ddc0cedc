package io.flowcast.engine.flow;

import io.flowcast.engine.session.Session;

import io.flowcast.engine.cc.CongestionControl;

import java.util.function.Supplier;

/**
 * How a sending flow is opened: its send buffer bounds, an optional congestion control strategy of its own (instead of
 * the session's), and whether its delivery latency is recorded. Immutable after it is given to
 * {@link Session#openFlow}; reuse one instance for many flows.
 */
public final class FlowOptions
{
    /** 1 MiB of queued message bytes per flow, as config {@code limits.flow-buffer-bytes}. */
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;
    /** At most this many fragments queued (unacknowledged) per flow. */
    public static final int DEFAULT_MAX_QUEUED_FRAGMENTS = 4096;

    private int bufferBytes = DEFAULT_BUFFER_BYTES;
    private int maxQueuedFragments = DEFAULT_MAX_QUEUED_FRAGMENTS;
    private Supplier<CongestionControl> congestionControl;
    private boolean measureLatency = true;

    /**
     * @param bytes message bytes the flow may hold queued and unacknowledged (a message larger than this is refused).
     * @return this.
     */
    public FlowOptions bufferBytes(final int bytes)
    {
        if (bytes < 2048)
        {
            throw new IllegalArgumentException("flow buffer must be at least 2048 bytes: " + bytes);
        }
        this.bufferBytes = bytes;
        return this;
    }

    /**
     * @return message bytes the flow may hold.
     */
    public int bufferBytes()
    {
        return bufferBytes;
    }

    /**
     * @param fragments most fragments queued (rounded up to a power of two; each costs about 40 bytes).
     * @return this.
     */
    public FlowOptions maxQueuedFragments(final int fragments)
    {
        if (fragments < 16 || fragments > (1 << 22))
        {
            throw new IllegalArgumentException("maxQueuedFragments must be in [16, 4194304]: " + fragments);
        }
        this.maxQueuedFragments = fragments;
        return this;
    }

    /**
     * @return most fragments queued.
     */
    public int maxQueuedFragments()
    {
        return maxQueuedFragments;
    }

    /**
     * @param strategy a strategy of this flow's own (e.g. a fixed window on a private network), or null to share the
     *                 session's (§3.5.2, the default).
     * @return this.
     */
    public FlowOptions congestionControl(final Supplier<CongestionControl> strategy)
    {
        this.congestionControl = strategy;
        return this;
    }

    /**
     * @return the flow's own strategy, or null.
     */
    public Supplier<CongestionControl> congestionControl()
    {
        return congestionControl;
    }

    /**
     * @param measure record each message's write-to-acknowledgement latency in an HdrHistogram (about 40 KB per flow).
     * @return this.
     */
    public FlowOptions measureLatency(final boolean measure)
    {
        this.measureLatency = measure;
        return this;
    }

    /**
     * @return whether latency is recorded.
     */
    public boolean measureLatency()
    {
        return measureLatency;
    }
}
