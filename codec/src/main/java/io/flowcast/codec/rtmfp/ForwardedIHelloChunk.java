package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Forwarded Initiator Hello (FIHello, 0x0f), RFC 7016 §2.3.3:
 * {@code epdLength VLU | endpointDiscriminator | replyAddress (§2.1.5) | tag (rest)}. Read the reply address with
 * the static accessors of {@link Address} at {@link #replyAddressOffset()}. Reuse one instance; nothing is allocated.
 */
public final class ForwardedIHelloChunk
{
    private DirectBuffer buffer;
    private int epdOffset;
    private int epdLength;
    private int replyAddressOffset;
    private int replyAddressLength;
    private int tagOffset;
    private int tagLength;

    /**
     * @param decoder positioned on a FIHello chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.FORWARDED_IHELLO)
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
        replyAddressOffset = epdOffset + epdLength;
        final int addressLength = Address.length(buffer, replyAddressOffset, limit);
        if (addressLength < 0)
        {
            return addressLength;
        }
        replyAddressLength = addressLength;
        tagOffset = replyAddressOffset + addressLength;
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
     * @return bytes of endpoint discriminator.
     */
    public int epdLength()
    {
        return epdLength;
    }

    /**
     * @return offset of the reply address (its flags byte).
     */
    public int replyAddressOffset()
    {
        return replyAddressOffset;
    }

    /**
     * @return bytes of reply address: 7 or 19.
     */
    public int replyAddressLength()
    {
        return replyAddressLength;
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
     * Write a FIHello chunk.
     *
     * @param buffer        to write into.
     * @param offset        of the chunk header.
     * @param limit         one past the last byte the chunk may occupy.
     * @param epd           endpoint discriminator source.
     * @param epdOffset     offset in {@code epd}.
     * @param epdLength     bytes of endpoint discriminator.
     * @param address       an encoded {@link Address}.
     * @param addressOffset offset in {@code address}.
     * @param addressLength bytes of address (7 or 19).
     * @param tag           tag source.
     * @param tagOffset     offset in {@code tag}.
     * @param tagLength     bytes of tag.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final DirectBuffer epd,
        final int epdOffset,
        final int epdLength,
        final DirectBuffer address,
        final int addressOffset,
        final int addressLength,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength)
    {
        final long payloadLength = ChunkHeader.prefixed(epdLength) + addressLength + tagLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.FORWARDED_IHELLO, (int)payloadLength);
        p += ChunkHeader.putPrefixed(buffer, p, epd, epdOffset, epdLength);
        p += ChunkHeader.putRaw(buffer, p, address, addressOffset, addressLength);
        p += ChunkHeader.putRaw(buffer, p, tag, tagOffset, tagLength);
        return p - offset;
    }
}
