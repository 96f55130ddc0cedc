package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RHello Cookie Change (0x79), RFC 7016 §2.3.6: {@code oldCookieLen VLU | oldCookie | newCookie (rest)}.
 * Reuse one instance; nothing is allocated.
 */
public final class RHelloCookieChangeChunk
{
    private DirectBuffer buffer;
    private int oldCookieOffset;
    private int oldCookieLength;
    private int newCookieOffset;
    private int newCookieLength;

    /**
     * @param decoder positioned on an RHello Cookie Change chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.RHELLO_COOKIE_CHANGE)
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
        oldCookieLength = (int)Vlu.value(buffer, offset);
        oldCookieOffset = offset + n;
        newCookieOffset = oldCookieOffset + oldCookieLength;
        newCookieLength = limit - newCookieOffset;
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
     * @return offset of the old cookie.
     */
    public int oldCookieOffset()
    {
        return oldCookieOffset;
    }

    /**
     * @return bytes of old cookie.
     */
    public int oldCookieLength()
    {
        return oldCookieLength;
    }

    /**
     * @return offset of the new cookie.
     */
    public int newCookieOffset()
    {
        return newCookieOffset;
    }

    /**
     * @return bytes of new cookie.
     */
    public int newCookieLength()
    {
        return newCookieLength;
    }

    /**
     * Write an RHello Cookie Change chunk.
     *
     * @param buffer          to write into.
     * @param offset          of the chunk header.
     * @param limit           one past the last byte the chunk may occupy.
     * @param oldCookie       old cookie source.
     * @param oldCookieOffset offset in {@code oldCookie}.
     * @param oldCookieLength bytes of old cookie.
     * @param newCookie       new cookie source.
     * @param newCookieOffset offset in {@code newCookie}.
     * @param newCookieLength bytes of new cookie.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final DirectBuffer oldCookie,
        final int oldCookieOffset,
        final int oldCookieLength,
        final DirectBuffer newCookie,
        final int newCookieOffset,
        final int newCookieLength)
    {
        final long payloadLength = ChunkHeader.prefixed(oldCookieLength) + newCookieLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.RHELLO_COOKIE_CHANGE, (int)payloadLength);
        p += ChunkHeader.putPrefixed(buffer, p, oldCookie, oldCookieOffset, oldCookieLength);
        p += ChunkHeader.putRaw(buffer, p, newCookie, newCookieOffset, newCookieLength);
        return p - offset;
    }
}
