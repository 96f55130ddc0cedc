package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Data Acknowledgement Bitmap (Bitmap Ack, 0x50), RFC 7016 §2.3.13:
 * {@code flowID VLU | bufferBlocksAvailable VLU | cumulativeAck VLU | bitmap bytes}. Bit {@code i} (least
 * significant first) of bitmap byte {@code k} acknowledges sequence number {@code cumulativeAck + 2 + 8k + i}.
 * {@link #nextRange()} turns the bitmap into runs of acknowledged sequence numbers, the same shape as
 * {@link DataAckRangesChunk}. Reuse one instance; nothing is allocated.
 */
public final class DataAckBitmapChunk
{
    /** {@link #nextRange()}: positioned on a range. */
    public static final int RANGE = 1;
    /** {@link #nextRange()}: no more ranges. */
    public static final int END = 0;

    private DirectBuffer buffer;
    private long flowId;
    private long bufferBlocksAvailable;
    private long cumulativeAck;
    private int bitmapOffset;
    private int bitmapLength;
    private int bit;
    private long rangeFrom;
    private long rangeTo;

    /**
     * @param decoder positioned on a Bitmap Ack chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.DATA_ACK_BITMAP)
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
        bitmapLength = 0;
        bit = 0;
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

        bitmapOffset = p;
        final int bits = limit - p;
        if (cumulativeAck < 0 || cumulativeAck > Long.MAX_VALUE - 2 - 8L * bits)
        {
            return RtmfpError.SEQUENCE_OVERFLOW;
        }
        bitmapLength = bits;
        return RtmfpError.OK;
    }

    /**
     * Restart range iteration.
     */
    public void rewind()
    {
        bit = 0;
    }

    /**
     * Advance to the next run of set bits.
     *
     * @return {@link #RANGE} or {@link #END}.
     */
    public int nextRange()
    {
        final int bits = bitmapLength * 8;
        int i = bit;
        while (i < bits && !isSet(i))
        {
            i++;
        }
        if (i >= bits)
        {
            bit = bits;
            return END;
        }
        final int first = i;
        while (i < bits && isSet(i))
        {
            i++;
        }
        bit = i;
        rangeFrom = cumulativeAck + 2 + first;
        rangeTo = cumulativeAck + 2 + (i - 1);
        return RANGE;
    }

    private boolean isSet(final int index)
    {
        return (buffer.getByte(bitmapOffset + (index >> 3)) & (1 << (index & 7))) != 0;
    }

    /**
     * @param sequenceNumber to test.
     * @return true when acknowledged by the cumulative ack or a set bit.
     */
    public boolean isAcknowledged(final long sequenceNumber)
    {
        if (sequenceNumber <= cumulativeAck)
        {
            return true;
        }
        final long index = sequenceNumber - cumulativeAck - 2;
        return index >= 0 && index < bitmapLength * 8L && isSet((int)index);
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
     * @return cumulative acknowledgement.
     */
    public long cumulativeAck()
    {
        return cumulativeAck;
    }

    /**
     * @return offset of the bitmap.
     */
    public int bitmapOffset()
    {
        return bitmapOffset;
    }

    /**
     * @return bytes of bitmap.
     */
    public int bitmapLength()
    {
        return bitmapLength;
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
     * Write a Bitmap Ack.
     *
     * @param buffer                to write into.
     * @param offset                of the chunk header.
     * @param limit                 one past the last byte the chunk may occupy.
     * @param flowId                flow ID.
     * @param bufferBlocksAvailable receive buffer in 1024-byte blocks.
     * @param cumulativeAck         cumulative acknowledgement.
     * @param bitmap                source of the bitmap bytes (may be null when {@code bitmapLength} is 0).
     * @param bitmapOffset          offset in {@code bitmap}.
     * @param bitmapLength          bytes of bitmap.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final long flowId,
        final long bufferBlocksAvailable,
        final long cumulativeAck,
        final DirectBuffer bitmap,
        final int bitmapOffset,
        final int bitmapLength)
    {
        final long payloadLength = Vlu.encodedLength(flowId) + Vlu.encodedLength(bufferBlocksAvailable) +
            Vlu.encodedLength(cumulativeAck) + (long)bitmapLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.DATA_ACK_BITMAP, (int)payloadLength);
        p += Vlu.encode(buffer, p, flowId);
        p += Vlu.encode(buffer, p, bufferBlocksAvailable);
        p += Vlu.encode(buffer, p, cumulativeAck);
        p += ChunkHeader.putRaw(buffer, p, bitmap, bitmapOffset, bitmapLength);
        return p - offset;
    }
}
