package io.flowcast.codec.rtmfp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Builds a plain RTMFP packet (RFC 7016 §2.2.4) in place: {@link #begin} writes the header, the {@code append...}
 * methods add chunks while they fit under the limit, refusing with {@link RtmfpError#NO_SPACE} (and writing nothing
 * past the limit) when one does not, and {@link #finish()} returns the packet length. Padding to the cipher's block
 * size is the crypto layer's business; {@link #appendPadding(int)} writes 0xff bytes when asked.
 * <p>
 * User Data is written as Next User Data (§2.3.12) when the chunk just before it in this packet is a User Data or
 * Next User Data chunk of the same flow, with the next sequence number and the same forward sequence number: the
 * receiver then implies flow ID and sequence number. Any other chunk in between ends that eligibility (the RFC would
 * allow non-data chunks in between; adjacency is the conservative reading every peer parses). Reuse one instance;
 * nothing is allocated.
 */
public final class PacketAssembler
{
    private MutableDirectBuffer buffer;
    private int packetOffset;
    private int limit;
    private int position;
    private int chunkCount;

    private boolean chainValid;
    private long chainFlowId;
    private long chainSequenceNumber;
    private long chainForwardSequenceNumber;

    /**
     * @param buffer to build the packet in.
     * @param offset of the packet's flags byte.
     * @param limit  one past the last byte the packet may occupy.
     * @return this.
     */
    public PacketAssembler wrap(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.packetOffset = offset;
        this.limit = limit;
        this.position = offset;
        this.chunkCount = 0;
        this.chainValid = false;
        return this;
    }

    /**
     * Start a packet at the wrapped offset, discarding anything appended before.
     *
     * @param mode                {@link PacketDecoder#MODE_INITIATOR}, {@link PacketDecoder#MODE_RESPONDER} or
     *                            {@link PacketDecoder#MODE_STARTUP}.
     * @param timeCritical        TC.
     * @param timeCriticalReverse TCR.
     * @param timestamp           16-bit timestamp, or negative for none (TS clear).
     * @param timestampEcho       16-bit timestamp echo, or negative for none (TSE clear).
     * @return header bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int begin(
        final int mode,
        final boolean timeCritical,
        final boolean timeCriticalReverse,
        final int timestamp,
        final int timestampEcho)
    {
        if ((mode & PacketDecoder.MODE_MASK) == PacketDecoder.MODE_FORBIDDEN || (mode & ~PacketDecoder.MODE_MASK) != 0)
        {
            throw new IllegalArgumentException("mode " + mode);
        }
        position = packetOffset;
        chunkCount = 0;
        chainValid = false;
        final int length = 1 + (timestamp >= 0 ? 2 : 0) + (timestampEcho >= 0 ? 2 : 0);
        if (length > limit - position)
        {
            return RtmfpError.NO_SPACE;
        }
        int flags = mode;
        if (timeCritical)
        {
            flags |= PacketDecoder.FLAG_TC;
        }
        if (timeCriticalReverse)
        {
            flags |= PacketDecoder.FLAG_TCR;
        }
        int p = position + 1;
        if (timestamp >= 0)
        {
            flags |= PacketDecoder.FLAG_TS;
            buffer.putShort(p, (short)timestamp, ByteOrder.BIG_ENDIAN);
            p += 2;
        }
        if (timestampEcho >= 0)
        {
            flags |= PacketDecoder.FLAG_TSE;
            buffer.putShort(p, (short)timestampEcho, ByteOrder.BIG_ENDIAN);
            p += 2;
        }
        buffer.putByte(position, (byte)flags);
        position = p;
        return length;
    }

    /**
     * Set or clear TC after chunks were appended (a sender learns it carries time-critical data as it adds it).
     *
     * @param timeCritical TC.
     */
    public void timeCritical(final boolean timeCritical)
    {
        final int flags = buffer.getByte(packetOffset) & 0xFF;
        final int updated = timeCritical ? flags | PacketDecoder.FLAG_TC : flags & ~PacketDecoder.FLAG_TC;
        buffer.putByte(packetOffset, (byte)updated);
    }

    /**
     * @param flowId         of the chunk to append.
     * @param sequenceNumber of the chunk to append.
     * @param fsnOffset      of the chunk to append.
     * @return true when it would be written as Next User Data.
     */
    public boolean canUseNextUserData(final long flowId, final long sequenceNumber, final long fsnOffset)
    {
        return chainValid && flowId == chainFlowId && sequenceNumber == chainSequenceNumber + 1 &&
            sequenceNumber - fsnOffset == chainForwardSequenceNumber;
    }

    /**
     * Append a User Data fragment, as Next User Data when eligible.
     *
     * @param flags          FRA, ABN, FIN ({@link UserDataChunk} constants; OPT is computed).
     * @param flowId         flow ID.
     * @param sequenceNumber sequence number.
     * @param fsnOffset      sequence number minus forward sequence number.
     * @param metadata       per-flow metadata (option 0x00), or null.
     * @param metadataOffset offset in {@code metadata}.
     * @param metadataLength bytes of metadata.
     * @param returnFlowId   return flow association (option 0x0a), or negative for none.
     * @param data           user data source.
     * @param dataOffset     offset in {@code data}.
     * @param dataLength     bytes of user data.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendUserData(
        final int flags,
        final long flowId,
        final long sequenceNumber,
        final long fsnOffset,
        final DirectBuffer metadata,
        final int metadataOffset,
        final int metadataLength,
        final long returnFlowId,
        final DirectBuffer data,
        final int dataOffset,
        final int dataLength)
    {
        final int written = canUseNextUserData(flowId, sequenceNumber, fsnOffset) ?
            UserDataChunk.encodeNextUserData(
                buffer, position, limit, flags, metadata, metadataOffset, metadataLength, returnFlowId,
                data, dataOffset, dataLength) :
            UserDataChunk.encodeUserData(
                buffer, position, limit, flags, flowId, sequenceNumber, fsnOffset, metadata, metadataOffset,
                metadataLength, returnFlowId, data, dataOffset, dataLength);
        if (written > 0)
        {
            position += written;
            chunkCount++;
            chainValid = true;
            chainFlowId = flowId;
            chainSequenceNumber = sequenceNumber;
            chainForwardSequenceNumber = sequenceNumber - fsnOffset;
        }
        return written;
    }

    /**
     * Append a Data Ack Ranges chunk (see {@link DataAckRangesChunk#encode}).
     *
     * @param flowId                flow ID.
     * @param bufferBlocksAvailable receive buffer in 1024-byte blocks.
     * @param cumulativeAck         cumulative acknowledgement.
     * @param ranges                inclusive absolute bounds {@code [from0, to0, from1, to1, ...]}.
     * @param rangeCount            number of ranges.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendDataAckRanges(
        final long flowId,
        final long bufferBlocksAvailable,
        final long cumulativeAck,
        final long[] ranges,
        final int rangeCount)
    {
        return advance(DataAckRangesChunk.encode(
            buffer, position, limit, flowId, bufferBlocksAvailable, cumulativeAck, ranges, rangeCount));
    }

    /**
     * Append a Data Ack Bitmap chunk (see {@link DataAckBitmapChunk#encode}).
     *
     * @param flowId                flow ID.
     * @param bufferBlocksAvailable receive buffer in 1024-byte blocks.
     * @param cumulativeAck         cumulative acknowledgement.
     * @param bitmap                bitmap source.
     * @param bitmapOffset          offset in {@code bitmap}.
     * @param bitmapLength          bytes of bitmap.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendDataAckBitmap(
        final long flowId,
        final long bufferBlocksAvailable,
        final long cumulativeAck,
        final DirectBuffer bitmap,
        final int bitmapOffset,
        final int bitmapLength)
    {
        return advance(DataAckBitmapChunk.encode(
            buffer, position, limit, flowId, bufferBlocksAvailable, cumulativeAck, bitmap, bitmapOffset, bitmapLength));
    }

    /**
     * @param flowId flow ID.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendBufferProbe(final long flowId)
    {
        return advance(FlowChunk.encodeBufferProbe(buffer, position, limit, flowId));
    }

    /**
     * @param flowId    flow ID.
     * @param exception exception code.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendFlowExceptionReport(final long flowId, final long exception)
    {
        return advance(FlowChunk.encodeFlowExceptionReport(buffer, position, limit, flowId, exception));
    }

    /**
     * Append a Ping (0x01) or Ping Reply (0x41) chunk: the payload is the message, echoed unaltered.
     *
     * @param type          {@link ChunkType#PING} or {@link ChunkType#PING_REPLY}.
     * @param message       message source.
     * @param messageOffset offset in {@code message}.
     * @param messageLength bytes of message.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendPing(final int type, final DirectBuffer message, final int messageOffset, final int messageLength)
    {
        if (type != ChunkType.PING && type != ChunkType.PING_REPLY)
        {
            throw new IllegalArgumentException("not a ping type: " + type);
        }
        return appendChunk(type, message, messageOffset, messageLength);
    }

    /**
     * Append a Session Close Request (0x0c) or Session Close Acknowledgement (0x4c): no payload.
     *
     * @param type {@link ChunkType#SESSION_CLOSE_REQUEST} or {@link ChunkType#SESSION_CLOSE_ACK}.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendSessionClose(final int type)
    {
        if (type != ChunkType.SESSION_CLOSE_REQUEST && type != ChunkType.SESSION_CLOSE_ACK)
        {
            throw new IllegalArgumentException("not a close type: " + type);
        }
        return appendChunk(type, null, 0, 0);
    }

    /**
     * Append any chunk whose payload is already encoded (handshake chunks can also be written with their flyweight's
     * {@code encode} at {@link #position()} then {@link #commit(int)}).
     *
     * @param type          chunk type.
     * @param payload       payload source (may be null when the length is 0).
     * @param payloadOffset offset in {@code payload}.
     * @param payloadLength bytes of payload.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendChunk(final int type, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        return advance(ChunkHeader.encode(buffer, position, limit, type, payload, payloadOffset, payloadLength));
    }

    /**
     * Account for a chunk written directly at {@link #position()} by a flyweight's {@code encode} (with
     * {@link #limit()} as its limit).
     *
     * @param written the encoder's result.
     * @return {@code written}.
     */
    public int commit(final int written)
    {
        return advance(written);
    }

    /**
     * Drop the chunks appended since {@link #position()} and {@link #chunkCount()} were {@code position} and
     * {@code chunkCount}: for a chunk that must not go without the one after it (a Flow Exception Report without its
     * acknowledgement).
     *
     * @param position   an earlier {@link #position()}.
     * @param chunkCount the {@link #chunkCount()} at that time.
     */
    public void rewind(final int position, final int chunkCount)
    {
        if (position < packetOffset || position > this.position)
        {
            throw new IllegalArgumentException("position " + position);
        }
        this.position = position;
        this.chunkCount = chunkCount;
        chainValid = false;
    }

    /**
     * Append 0xff padding (§2.2.4); no chunk may follow it.
     *
     * @param count bytes of padding.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public int appendPadding(final int count)
    {
        if (count < 0 || count > limit - position)
        {
            return RtmfpError.NO_SPACE;
        }
        buffer.setMemory(position, count, (byte)0xFF);
        position += count;
        chainValid = false;
        return count;
    }

    private int advance(final int written)
    {
        if (written > 0)
        {
            position += written;
            chunkCount++;
            chainValid = false;
        }
        return written;
    }

    /**
     * @return the packet length so far; the packet is {@code [offset, offset + length)}.
     */
    public int finish()
    {
        return position - packetOffset;
    }

    /**
     * @return offset where the next chunk goes.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return one past the last byte the packet may occupy.
     */
    public int limit()
    {
        return limit;
    }

    /**
     * @return bytes still free under the limit.
     */
    public int remaining()
    {
        return limit - position;
    }

    /**
     * @return chunks appended since {@link #begin}.
     */
    public int chunkCount()
    {
        return chunkCount;
    }

    /**
     * @return the buffer wrapped.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }
}
