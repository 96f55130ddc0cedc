package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Responder Redirect (0x71), RFC 7016 §2.3.5: {@code tagLength VLU | tagEcho | redirectDestination*} where each
 * destination is an {@link Address} (§2.1.5). No address at all is an Implied Redirect: the destination is the
 * packet's source address. Wrapping validates every address; iterate them with {@link #nextAddress()} and read the
 * current one with {@link Address}'s accessors at {@link #addressOffset()}. Reuse one instance; nothing is allocated.
 */
public final class RedirectChunk
{
    /** {@link #nextAddress()}: positioned on an address. */
    public static final int ADDRESS = 1;
    /** {@link #nextAddress()}: no more addresses. */
    public static final int END = 0;

    private DirectBuffer buffer;
    private int limit;
    private int tagEchoOffset;
    private int tagEchoLength;
    private int addressesOffset;
    private int addressCount;
    private int position;
    private int addressOffset;

    /**
     * @param decoder positioned on a Redirect chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.REDIRECT)
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
        addressCount = 0;
        final int n = ChunkHeader.checkPrefixed(buffer, offset, limit);
        if (n < 0)
        {
            return n;
        }
        tagEchoLength = (int)Vlu.value(buffer, offset);
        tagEchoOffset = offset + n;
        addressesOffset = tagEchoOffset + tagEchoLength;

        int count = 0;
        for (int p = addressesOffset; p < limit; count++)
        {
            final int addressLength = Address.length(buffer, p, limit);
            if (addressLength < 0)
            {
                return addressLength;
            }
            p += addressLength;
        }
        addressCount = count;
        position = addressesOffset;
        return RtmfpError.OK;
    }

    /**
     * Advance to the next redirect destination.
     *
     * @return {@link #ADDRESS} or {@link #END}.
     */
    public int nextAddress()
    {
        if (position >= limit)
        {
            return END;
        }
        addressOffset = position;
        position += Address.length(buffer, position, limit);
        return ADDRESS;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the tag echo.
     */
    public int tagEchoOffset()
    {
        return tagEchoOffset;
    }

    /**
     * @return bytes of tag echo.
     */
    public int tagEchoLength()
    {
        return tagEchoLength;
    }

    /**
     * @return number of destinations; 0 is an Implied Redirect.
     */
    public int addressCount()
    {
        return addressCount;
    }

    /**
     * @return offset of the first destination.
     */
    public int addressesOffset()
    {
        return addressesOffset;
    }

    /**
     * @return offset of the current destination (its flags byte).
     */
    public int addressOffset()
    {
        return addressOffset;
    }

    /**
     * Write a Redirect chunk.
     *
     * @param buffer          to write into.
     * @param offset          of the chunk header.
     * @param limit           one past the last byte the chunk may occupy.
     * @param tag             tag echo source.
     * @param tagOffset       offset in {@code tag}.
     * @param tagLength       bytes of tag echo.
     * @param addresses       encoded {@link Address}es, back to back (may be null when the length is 0).
     * @param addressesOffset offset in {@code addresses}.
     * @param addressesLength bytes of addresses; 0 for an Implied Redirect.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength,
        final DirectBuffer addresses,
        final int addressesOffset,
        final int addressesLength)
    {
        final long payloadLength = ChunkHeader.prefixed(tagLength) + addressesLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.REDIRECT, (int)payloadLength);
        p += ChunkHeader.putPrefixed(buffer, p, tag, tagOffset, tagLength);
        p += ChunkHeader.putRaw(buffer, p, addresses, addressesOffset, addressesLength);
        return p - offset;
    }
}
