package io.flowcast.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one {@code bench fanout} run shares between the publishing thread and the generator threads: where and how the
 * players connect, and the run's progress (players joined, failed and ended; when publishing started; stop).
 */
final class FanoutRun
{
    final String app;
    final String stream;
    final String tcUrl;
    final List<String> tokens;
    final boolean hashToken;
    final double joinTimeoutSeconds;
    final int threads;
    final int joinRate;

    /** Players playing (NetStream.Play.Start), failed while joining, and ended (UnpublishNotify). */
    final AtomicInteger joined = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger ended = new AtomicInteger();

    private volatile int firstTimestamp;
    private volatile long publishStartNs;
    private volatile boolean publishing;
    private volatile boolean stop;

    FanoutRun(
        final String app,
        final String stream,
        final String tcUrl,
        final List<String> tokens,
        final boolean hashToken,
        final double joinTimeoutSeconds,
        final int threads,
        final int joinRate)
    {
        this.app = app;
        this.stream = stream;
        this.tcUrl = tcUrl;
        this.tokens = List.copyOf(tokens);
        this.hashToken = hashToken;
        this.joinTimeoutSeconds = joinTimeoutSeconds;
        this.threads = threads;
        this.joinRate = joinRate;
    }

    /**
     * @param firstTimestamp the file's first audio or video timestamp, ms: media time 0.
     */
    void firstTimestamp(final int firstTimestamp)
    {
        this.firstTimestamp = firstTimestamp;
    }

    int firstTimestamp()
    {
        return firstTimestamp;
    }

    /**
     * The publisher starts sending: a message with timestamp t is due at {@code startNs + (t - firstTimestamp)}.
     */
    void startPublishing(final long startNs)
    {
        publishStartNs = startNs;
        publishing = true;
    }

    /**
     * @return {@link System#nanoTime()} when publishing started, 0 before.
     */
    long publishStartNs()
    {
        return publishStartNs;
    }

    boolean isPublishing()
    {
        return publishing;
    }

    /**
     * Tell the generator threads to close their players and end.
     */
    void stop()
    {
        stop = true;
    }

    boolean isStopped()
    {
        return stop;
    }
}
