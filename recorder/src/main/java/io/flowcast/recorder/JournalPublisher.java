package io.flowcast.recorder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import static io.flowcast.recorder.RecorderAgent.*;

/**
 * The network side of the recorder: hands messages to the {@link RecorderAgent} through a bounded lock-free ring
 * buffer and never waits. When the ring is full the message is not recorded, {@code droppedMessages} is incremented
 * and {@link #offer} returns false; live delivery carries on regardless. Thread safe (the ring is many-to-one).
 */
public final class JournalPublisher
{
    /** Stream id returned for a stream that the settings do not record; offers with it do nothing. */
    public static final int NOT_RECORDED = -1;

    private final RecorderSettings settings;
    private final RingBuffer ring;
    private final StreamKeys keys;
    private final AtomicCounter droppedMessages;
    private final EpochNanoClock clock;

    JournalPublisher(
        final RecorderSettings settings,
        final RingBuffer ring,
        final StreamKeys keys,
        final AtomicCounter droppedMessages,
        final EpochNanoClock clock)
    {
        this.settings = settings;
        this.ring = ring;
        this.keys = keys;
        this.droppedMessages = droppedMessages;
        this.clock = clock;
    }

    /**
     * Called when a stream starts publishing (not per message): checks the settings' patterns and gives the id to
     * pass to {@link #offer}.
     *
     * @param streamKey {@code app/name}.
     * @return the stream id, or {@link #NOT_RECORDED}.
     */
    public int registerStream(final String streamKey)
    {
        return settings.records(streamKey) ? keys.register(streamKey) : NOT_RECORDED;
    }

    /**
     * Offer a message for recording, stamped with the receive time now.
     *
     * @param stream         id from {@link #registerStream(String)}.
     * @param messageType    RTMP / TC message type.
     * @param mediaTimestamp media timestamp, ms (u32).
     * @param buffer         holding the payload.
     * @param offset         of the payload.
     * @param length         of the payload.
     * @return true if handed to the recorder (or the stream is not recorded), false if dropped and counted.
     */
    public boolean offer(
        final int stream,
        final int messageType,
        final long mediaTimestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        return offer(stream, messageType, mediaTimestamp, clock.nanoTime(), buffer, offset, length);
    }

    /**
     * Offer a message for recording with the time it was received.
     *
     * @param stream         id from {@link #registerStream(String)}.
     * @param messageType    RTMP / TC message type.
     * @param mediaTimestamp media timestamp, ms (u32).
     * @param receiveTimeNs  when the message was received, epoch ns.
     * @param buffer         holding the payload.
     * @param offset         of the payload.
     * @param length         of the payload.
     * @return true if handed to the recorder (or the stream is not recorded), false if dropped and counted.
     */
    public boolean offer(
        final int stream,
        final int messageType,
        final long mediaTimestamp,
        final long receiveTimeNs,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (stream < 0)
        {
            return true;
        }
        final int recordLength = RING_PAYLOAD_OFFSET + length;
        if (recordLength > ring.maxMsgLength())
        {
            droppedMessages.increment();
            return false;
        }
        final int index = ring.tryClaim(RING_MSG_TYPE_ID, recordLength);
        if (index <= 0)
        {
            droppedMessages.increment();
            return false;
        }
        final AtomicBuffer ringBuffer = ring.buffer();
        ringBuffer.putInt(index + RING_STREAM_OFFSET, stream);
        ringBuffer.putInt(index + RING_TYPE_OFFSET, messageType);
        ringBuffer.putInt(index + RING_TIMESTAMP_OFFSET, (int)mediaTimestamp);
        ringBuffer.putLong(index + RING_RECEIVE_TIME_OFFSET, receiveTimeNs);
        ringBuffer.putBytes(index + RING_PAYLOAD_OFFSET, buffer, offset, length);
        ring.commit(index);
        return true;
    }

    /**
     * Where the ring's producers are now: every message offered before this call is behind it. With
     * {@link #isAppended(long)}, tells when those messages are all in the journal (and visible to its readers).
     *
     * @return the ring's producer position.
     */
    public long position()
    {
        return ring.producerPosition();
    }

    /**
     * @param position from {@link #position()}.
     * @return true once the recorder agent has appended everything offered before that position (the agent moves
     * the ring's consumer position after appending a batch).
     */
    public boolean isAppended(final long position)
    {
        return ring.consumerPosition() >= position;
    }

    /**
     * @return messages dropped so far because the ring was full.
     */
    public long droppedMessages()
    {
        return droppedMessages.get();
    }

    /**
     * @return the largest payload the ring accepts.
     */
    public int maxPayloadLength()
    {
        return ring.maxMsgLength() - RING_PAYLOAD_OFFSET;
    }
}
