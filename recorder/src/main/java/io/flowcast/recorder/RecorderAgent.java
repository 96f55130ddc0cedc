package io.flowcast.recorder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The recorder's duty-cycle agent: drains the ring buffer filled by {@link JournalPublisher}s and appends each
 * message to the journal through a {@link JournalWriter}. Runs on its own thread (or composed with other slow
 * agents), never on the network agent's.
 */
public final class RecorderAgent implements Agent, MessageHandler
{
    static final int RING_MSG_TYPE_ID = 1;
    static final int RING_STREAM_OFFSET = 0;
    static final int RING_TYPE_OFFSET = 4;
    static final int RING_TIMESTAMP_OFFSET = 8;
    static final int RING_RECEIVE_TIME_OFFSET = 16;
    static final int RING_PAYLOAD_OFFSET = 24;

    private final JournalWriter writer;
    private final RingBuffer ring;
    private final StreamKeys keys;
    private final AtomicCounter recordedMessages;
    private final AtomicCounter recordedBytes;
    private final int drainLimit;
    private long unknownStreams;

    RecorderAgent(
        final JournalWriter writer,
        final RingBuffer ring,
        final StreamKeys keys,
        final RecorderCounters counters,
        final int drainLimit)
    {
        this.writer = writer;
        this.ring = ring;
        this.keys = keys;
        this.recordedMessages = counters.recordedMessages();
        this.recordedBytes = counters.recordedBytes();
        this.drainLimit = drainLimit;
    }

    @Override
    public int doWork()
    {
        final int read = ring.read(this, drainLimit);
        // a read that only skipped the padding at the end of the ring returns 0: read again from the start
        return read > 0 ? read : ring.read(this, drainLimit);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final UnsafeBuffer key = keys.key(buffer.getInt(index + RING_STREAM_OFFSET));
        if (null == key)
        {
            unknownStreams++;
            return;
        }
        final int payloadLength = length - RING_PAYLOAD_OFFSET;
        writer.append(
            key, 0, key.capacity(),
            buffer.getInt(index + RING_TYPE_OFFSET),
            buffer.getInt(index + RING_TIMESTAMP_OFFSET) & 0xFFFF_FFFFL,
            buffer.getLong(index + RING_RECEIVE_TIME_OFFSET),
            buffer, index + RING_PAYLOAD_OFFSET, payloadLength);
        recordedMessages.incrementRelease();
        recordedBytes.getAndAddRelease(payloadLength);
    }

    /**
     * @return messages whose stream id was never registered (a programming error; should stay 0).
     */
    public long unknownStreams()
    {
        return unknownStreams;
    }

    /**
     * @return the writer this agent appends with.
     */
    public JournalWriter writer()
    {
        return writer;
    }

    @Override
    public void onClose()
    {
        // drain what was handed over before closing, so a clean shutdown loses nothing; bounded to one full ring
        // in case publishers are still offering
        final int maxReads = ring.capacity() / (RING_PAYLOAD_OFFSET + 8) / drainLimit + 2;
        for (int i = 0; i < maxReads && ring.size() > 0; i++)
        {
            ring.read(this, drainLimit); // may read 0 messages when it only skips the padding before a wrap
        }
        writer.close();
    }

    @Override
    public String roleName()
    {
        return "recorder";
    }
}
