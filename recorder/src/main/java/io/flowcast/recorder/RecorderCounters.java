package io.flowcast.recorder;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.ByteBuffer;

/**
 * The recorder's counters, readable from any thread (and from another process when they live in the server's
 * memory-mapped counters file): messages dropped because the ring was full (never silent), messages and payload
 * bytes recorded.
 *
 * @param droppedMessages  offers refused because the ring was full or the message longer than the ring allows.
 * @param recordedMessages messages appended to the journal.
 * @param recordedBytes    payload bytes appended to the journal.
 */
public record RecorderCounters(AtomicCounter droppedMessages, AtomicCounter recordedMessages, AtomicCounter recordedBytes)
{
    /** Counter type id for the recorder's counters (Agrona counters file). */
    public static final int RECORDER_COUNTER_TYPE_ID = 1001;

    /**
     * Allocate the counters in a counters manager (the server's counters file).
     *
     * @param manager to allocate in.
     * @return the counters.
     */
    public static RecorderCounters allocate(final CountersManager manager)
    {
        return new RecorderCounters(
            manager.newCounter("recorder: messages dropped (ring full)", RECORDER_COUNTER_TYPE_ID),
            manager.newCounter("recorder: messages recorded", RECORDER_COUNTER_TYPE_ID),
            manager.newCounter("recorder: payload bytes recorded", RECORDER_COUNTER_TYPE_ID));
    }

    /**
     * Counters in a private in-memory counters buffer (tools, tests, benchmarks).
     *
     * @return the counters.
     */
    public static RecorderCounters inMemory()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024)));
        return allocate(manager);
    }
}
