package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Initiator Hello (IHello, 0x30), RFC 7016 §2.3.2: {@code epdLength VLU | endpointDiscriminator | tag (rest)}.
 * The endpoint discriminator is an option list in the Flash profile; wrap an
 * {@link io.flowcast.codec.OptionFlyweight} over {@link #epdOffset()}. Reuse one instance; nothing is allocated.
 */
public final class IHelloChunk
{
    private DirectBuffer buffer;
    private int epdOffset;
    private int epdLength;
    private int tagOffset;
    private int tagLength;

    /**
     * @param decoder positioned on an IHello chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.IHELLO)
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
        final int n = ChunkHeader.checkPrefixed(buffer, offset, limit);
        if (n < 0)
        {
            return n;
        }
        epdLength = (int)Vlu.value(buffer, offset);
        epdOffset = offset + n;
        tagOffset = epdOffset + epdLength;
        tagLength = limit - tagOffset;
        return RtmfpError.OK;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the endpoint discriminator.
     */
    public int epdOffset()
    {
        return epdOffset;
    }

    /**
     * @return bytes of endpoint discriminator (epdLength).
     */
    public int epdLength()
    {
        return epdLength;
    }

    /**
     * @return offset of the tag.
     */
    public int tagOffset()
    {
        return tagOffset;
    }

    /**
     * @return bytes of tag.
     */
    public int tagLength()
    {
        return tagLength;
    }

    /**
     * Write an IHello chunk.
     *
     * @param buffer    to write into.
     * @param offset    of the chunk header.
     * @param limit     one past the last byte the chunk may occupy.
     * @param epd       endpoint discriminator source.
     * @param epdOffset offset in {@code epd}.
     * @param epdLength bytes of endpoint discriminator.
     * @param tag       tag source.
     * @param tagOffset offset in {@code tag}.
     * @param tagLength bytes of tag.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final DirectBuffer epd,
        final int epdOffset,
        final int epdLength,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength)
    {
        final long payloadLength = ChunkHeader.prefixed(epdLength) + tagLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.IHELLO, (int)payloadLength);
        p += ChunkHeader.putPrefixed(buffer, p, epd, epdOffset, epdLength);
        p += ChunkHeader.putRaw(buffer, p, tag, tagOffset, tagLength);
        return p - offset;
    }
}
