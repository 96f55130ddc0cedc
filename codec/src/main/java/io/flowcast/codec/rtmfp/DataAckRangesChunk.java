package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Data Acknowledgement Ranges (Range Ack, 0x51), RFC 7016 §2.3.14:
 * {@code flowID VLU | bufferBlocksAvailable VLU | cumulativeAck VLU | (holesMinusOne VLU, receivedMinusOne VLU)*}.
 * Iterate the ranges with {@link #nextRange()}, which yields absolute, inclusive sequence numbers. A truncated last
 * range is not an error (§2.3.14 NOTE): iteration ends at the last complete range and {@link #truncated()} says so.
 * Reuse one instance; nothing is allocated.
 */
public final class DataAckRangesChunk
{
    /** {@link #nextRange()}: positioned on a range. */
    public static final int RANGE = 1;
    /** {@link #nextRange()}: no more ranges. */
    public static final int END = 0;

    private DirectBuffer buffer;
    private int limit;
    private long flowId;
    private long bufferBlocksAvailable;
    private long cumulativeAck;
    private int rangesOffset;
    private int position;
    private long cursor;
    private long rangeFrom;
    private long rangeTo;
    private boolean truncated;

    /**
     * @param decoder positioned on a Range Ack chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.DATA_ACK_RANGES)
        {
            return RtmfpError.WRONG_CHUNK_TYPE;
        }
        return wrap(decoder.buffer(), decoder.payloadOffset(), decoder.payloadLength());
    }

    /**
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        final int limit = offset + length;
        this.limit = limit;
        this.position = limit;
        int p = offset;

        int n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        flowId = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        bufferBlocksAvailable = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        cumulativeAck = Vlu.value(buffer, p);
        p += n;
        if (cumulativeAck < 0)
        {
            return RtmfpError.SEQUENCE_OVERFLOW;
        }

        rangesOffset = p;
        return rewind();
    }

    /**
     * Restart range iteration from the cumulative ack.
     *
     * @return {@link RtmfpError#OK}.
     */
    public int rewind()
    {
        position = rangesOffset;
        cursor = cumulativeAck;
        truncated = false;
        return RtmfpError.OK;
    }

    /**
     * Advance to the next range: {@code from = cursor + 1 + holesMinusOne + 1}, {@code to = from + receivedMinusOne}.
     *
     * @return {@link #RANGE}, {@link #END}, or {@link RtmfpError#SEQUENCE_OVERFLOW} past 2^63 - 1.
     */
    public int nextRange()
    {
        final int p = position;
        if (p >= limit)
        {
            return END;
        }
        final int holesBytes = Vlu.length(buffer, p, limit);
        final int receivedBytes = holesBytes < 0 ? -1 : Vlu.length(buffer, p + holesBytes, limit);
        if (receivedBytes < 0)
        {
            truncated = true; // §2.3.14: process as though well formed up to the last complete range
            position = limit;
            return END;
        }
        final long holesMinusOne = Vlu.value(buffer, p);
        final long receivedMinusOne = Vlu.value(buffer, p + holesBytes);
        position = p + holesBytes + receivedBytes;

        final long from = cursor + 2 + holesMinusOne;
        final long to = from + receivedMinusOne;
        if (holesMinusOne < 0 || receivedMinusOne < 0 || from < cursor || to < from)
        {
            position = limit;
            return RtmfpError.SEQUENCE_OVERFLOW;
        }
        rangeFrom = from;
        rangeTo = to;
        cursor = to;
        return RANGE;
    }

    /**
     * @return flow ID.
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return receive buffer available, in 1024-byte blocks.
     */
    public long bufferBlocksAvailable()
    {
        return bufferBlocksAvailable;
    }

    /**
     * @return every sequence number up to and including this one is acknowledged.
     */
    public long cumulativeAck()
    {
        return cumulativeAck;
    }

    /**
     * @return first sequence number of the current range.
     */
    public long rangeFrom()
    {
        return rangeFrom;
    }

    /**
     * @return last sequence number of the current range (inclusive).
     */
    public long rangeTo()
    {
        return rangeTo;
    }

    /**
     * @return offset of the first range.
     */
    public int rangesOffset()
    {
        return rangesOffset;
    }

    /**
     * @return true when iteration stopped on a truncated last range.
     */
    public boolean truncated()
    {
        return truncated;
    }

    /**
     * Write a Range Ack. Ranges are absolute and inclusive, ascending, each starting at least two past the end of the
     * previous (or past {@code cumulativeAck}), as pairs {@code [from0, to0, from1, to1, ...]}.
     *
     * @param buffer                to write into.
     * @param offset                of the chunk header.
     * @param limit                 one past the last byte the chunk may occupy.
     * @param flowId                flow ID.
     * @param bufferBlocksAvailable receive buffer in 1024-byte blocks.
     * @param cumulativeAck         cumulative acknowledgement.
     * @param ranges                pairs of inclusive bounds (may be null when {@code rangeCount} is 0).
     * @param rangeCount            number of pairs.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     * @throws IllegalArgumentException if the ranges are not ascending and separated by holes.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final long flowId,
        final long bufferBlocksAvailable,
        final long cumulativeAck,
        final long[] ranges,
        final int rangeCount)
    {
        long payloadLength = Vlu.encodedLength(flowId) + Vlu.encodedLength(bufferBlocksAvailable) +
            Vlu.encodedLength(cumulativeAck);
        long cursor = cumulativeAck;
        for (int i = 0; i < rangeCount; i++)
        {
            final long from = ranges[2 * i];
            final long to = ranges[2 * i + 1];
            if (from < cursor + 2 || to < from)
            {
                throw new IllegalArgumentException("range " + i + " [" + from + ", " + to + "] after " + cursor);
            }
            payloadLength += Vlu.encodedLength(from - cursor - 2) + Vlu.encodedLength(to - from);
            cursor = to;
        }
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.DATA_ACK_RANGES, (int)payloadLength);
        p += Vlu.encode(buffer, p, flowId);
        p += Vlu.encode(buffer, p, bufferBlocksAvailable);
        p += Vlu.encode(buffer, p, cumulativeAck);
        cursor = cumulativeAck;
        for (int i = 0; i < rangeCount; i++)
        {
            final long from = ranges[2 * i];
            final long to = ranges[2 * i + 1];
            p += Vlu.encode(buffer, p, from - cursor - 2);
            p += Vlu.encode(buffer, p, to - from);
            cursor = to;
        }
        return p - offset;
    }
}
