package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Packet Fragment (0x7f), RFC 7016 §2.3.1:
 * {@code flags u8 (M = more fragments, 7 reserved) | packetID VLU | fragmentNum VLU | packetFragment}, the
 * fragment being the rest of the payload and never empty.
 * Reuse one instance; nothing is allocated.
 */
public final class PacketFragmentChunk
{
    /** Flags: more fragments follow. */
    public static final int FLAG_MORE_FRAGMENTS = 0x80;

    private DirectBuffer buffer;
    private int flags;
    private long packetId;
    private long fragmentNumber;
    private int fragmentOffset;
    private int fragmentLength;

    /**
     * @param decoder positioned on a Packet Fragment chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.PACKET_FRAGMENT)
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
        if (length < 1)
        {
            return RtmfpError.TRUNCATED;
        }
        flags = buffer.getByte(offset) & 0xFF;
        int p = offset + 1;
        int n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        packetId = Vlu.value(buffer, p);
        p += n;
        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        fragmentNumber = Vlu.value(buffer, p);
        p += n;
        fragmentOffset = p;
        fragmentLength = limit - p;
        return fragmentLength > 0 ? RtmfpError.OK : RtmfpError.BAD_CHUNK_LENGTH; // §2.3.1: MUST NOT be empty
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return M: more fragments of this packet follow.
     */
    public boolean moreFragments()
    {
        return (flags & FLAG_MORE_FRAGMENTS) != 0;
    }

    /**
     * @return packet ID.
     */
    public long packetId()
    {
        return packetId;
    }

    /**
     * @return index of this fragment, from 0.
     */
    public long fragmentNumber()
    {
        return fragmentNumber;
    }

    /**
     * @return offset of the fragment bytes.
     */
    public int fragmentOffset()
    {
        return fragmentOffset;
    }

    /**
     * @return bytes of fragment.
     */
    public int fragmentLength()
    {
        return fragmentLength;
    }

    /**
     * Write a Packet Fragment chunk.
     *
     * @param buffer         to write into.
     * @param offset         of the chunk header.
     * @param limit          one past the last byte the chunk may occupy.
     * @param moreFragments  M flag.
     * @param packetId       packet ID.
     * @param fragmentNumber fragment index.
     * @param fragment       fragment source.
     * @param fragmentOffset offset in {@code fragment}.
     * @param fragmentLength bytes of fragment (at least 1).
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final boolean moreFragments,
        final long packetId,
        final long fragmentNumber,
        final DirectBuffer fragment,
        final int fragmentOffset,
        final int fragmentLength)
    {
        final long payloadLength = 1L + Vlu.encodedLength(packetId) + Vlu.encodedLength(fragmentNumber) +
            fragmentLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.PACKET_FRAGMENT, (int)payloadLength);
        buffer.putByte(p++, (byte)(moreFragments ? FLAG_MORE_FRAGMENTS : 0));
        p += Vlu.encode(buffer, p, packetId);
        p += Vlu.encode(buffer, p, fragmentNumber);
        p += ChunkHeader.putRaw(buffer, p, fragment, fragmentOffset, fragmentLength);
        return p - offset;
    }
}
