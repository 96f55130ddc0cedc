package io.flowcast.recorder;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Wires a recorder together from {@link RecorderSettings}: the ring buffer, the {@link JournalPublisher} that
 * network agents offer to, and the {@link RecorderAgent} that appends to the journal. The server runs
 * {@link #agent()} on its own {@code AgentRunner} (closing the runner closes the journal).
 */
public final class Recorder
{
    /** Ring messages drained per duty cycle. */
    public static final int DRAIN_LIMIT = 256;

    private final JournalPublisher publisher;
    private final RecorderAgent agent;
    private final RecorderCounters counters;

    private Recorder(final JournalPublisher publisher, final RecorderAgent agent, final RecorderCounters counters)
    {
        this.publisher = publisher;
        this.agent = agent;
        this.counters = counters;
    }

    /**
     * Receive times come from an {@link OffsetEpochNanoClock} ({@code System.nanoTime()} plus an epoch offset,
     * resampled now and then): reading it allocates nothing, where {@code SystemEpochNanoClock} makes an
     * {@code Instant} per call that only C2's escape analysis removes.
     *
     * @param settings with recording enabled.
     * @param counters where to count (see {@link RecorderCounters#allocate}).
     * @return the recorder, its journal open.
     */
    public static Recorder create(final RecorderSettings settings, final RecorderCounters counters)
    {
        return create(settings, counters, new OffsetEpochNanoClock());
    }

    /**
     * @param settings with recording enabled.
     * @param counters where to count.
     * @param clock    receive-time clock for {@link JournalPublisher#offer(int, int, long, org.agrona.DirectBuffer,
     *                 int, int)}.
     * @return the recorder, its journal open.
     */
    public static Recorder create(
        final RecorderSettings settings, final RecorderCounters counters, final EpochNanoClock clock)
    {
        if (!settings.enabled())
        {
            throw new IllegalArgumentException("recording is not enabled in the recorder settings");
        }
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(settings.ringBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
        final StreamKeys keys = new StreamKeys();
        final JournalPublisher publisher = new JournalPublisher(
            settings, ring, keys, counters.droppedMessages(), clock);
        final RecorderAgent agent = new RecorderAgent(new JournalWriter(settings), ring, keys, counters, DRAIN_LIMIT);
        return new Recorder(publisher, agent, counters);
    }

    /**
     * @return the thread-safe, non-blocking entry point for network agents.
     */
    public JournalPublisher publisher()
    {
        return publisher;
    }

    /**
     * @return the agent to run on the recorder's thread.
     */
    public RecorderAgent agent()
    {
        return agent;
    }

    /**
     * @return the counters.
     */
    public RecorderCounters counters()
    {
        return counters;
    }
}
