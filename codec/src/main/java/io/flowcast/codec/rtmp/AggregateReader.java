package io.flowcast.codec.rtmp;

import io.flowcast.codec.flv.FlvTagHeader;
import org.agrona.DirectBuffer;

/**
 * Iterates the sub-messages of an Aggregate message (type 22, rtmp-1.0.txt §7.1.6): each is an FLV-style tag
 * header (type, size u24, timestamp u24 + extension u8, stream ID u24), the payload, and a u32 back pointer.
 * Sub-message timestamps are rebased so that the first one equals the aggregate message's own timestamp
 * (rtmp-1.0.txt §7.1.6). Allocates nothing; malformed input is an error code.
 */
public final class AggregateReader
{
    /** No more sub-messages. */
    public static final int END = -1;
    /** A sub-message header or payload runs past the aggregate. */
    public static final int ERROR_TRUNCATED = -2;

    private final FlvTagHeader header = new FlvTagHeader();
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private int aggregateTimestamp;
    private boolean first;
    private int firstTimestamp;

    private int type;
    private int timestamp;
    private int payloadOffset;
    private int payloadLength;

    /**
     * @param buffer             holding the aggregate payload.
     * @param offset             of the payload.
     * @param length             of the payload.
     * @param aggregateTimestamp timestamp of the aggregate message.
     * @return this.
     */
    public AggregateReader wrap(final DirectBuffer buffer, final int offset, final int length, final int aggregateTimestamp)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.aggregateTimestamp = aggregateTimestamp;
        this.first = true;
        return this;
    }

    /**
     * @return the sub-message type, {@link #END}, or {@link #ERROR_TRUNCATED}.
     */
    public int next()
    {
        if (position >= limit)
        {
            return END;
        }
        if (limit - position < FlvTagHeader.LENGTH)
        {
            return ERROR_TRUNCATED;
        }
        header.wrap(buffer, position);
        final int size = header.dataSize();
        final long end = (long)position + FlvTagHeader.LENGTH + size;
        if (end > limit)
        {
            return ERROR_TRUNCATED;
        }
        final int subTimestamp = header.timestamp();
        if (first)
        {
            firstTimestamp = subTimestamp;
            first = false;
        }
        type = header.type();
        timestamp = aggregateTimestamp + (subTimestamp - firstTimestamp);
        payloadOffset = position + FlvTagHeader.LENGTH;
        payloadLength = size;
        // the back pointer is optional at the very end in some muxers; skip it when present
        position = (int)Math.min(limit, end + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH);
        return type;
    }

    /**
     * @return type of the current sub-message.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return rebased timestamp of the current sub-message.
     */
    public int timestamp()
    {
        return timestamp;
    }

    /**
     * @return offset of the current sub-message payload.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * @return length of the current sub-message payload.
     */
    public int payloadLength()
    {
        return payloadLength;
    }
}
