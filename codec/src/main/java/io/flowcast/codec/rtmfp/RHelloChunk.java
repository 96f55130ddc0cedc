package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Responder Hello (RHello, 0x70), RFC 7016 §2.3.4:
 * {@code tagLength VLU | tagEcho | cookieLength VLU | cookie | responderCertificate (rest)}. The certificate is read
 * in place (offset and length) by the crypto profile. Reuse one instance; nothing is allocated.
 */
public final class RHelloChunk
{
    private DirectBuffer buffer;
    private int tagEchoOffset;
    private int tagEchoLength;
    private int cookieOffset;
    private int cookieLength;
    private int certificateOffset;
    private int certificateLength;

    /**
     * @param decoder positioned on an RHello chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.RHELLO)
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
        int p = offset;
        int n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        tagEchoLength = (int)Vlu.value(buffer, p);
        tagEchoOffset = p + n;
        p = tagEchoOffset + tagEchoLength;

        n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        cookieLength = (int)Vlu.value(buffer, p);
        cookieOffset = p + n;
        certificateOffset = cookieOffset + cookieLength;
        certificateLength = limit - certificateOffset;
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
     * @return offset of the cookie.
     */
    public int cookieOffset()
    {
        return cookieOffset;
    }

    /**
     * @return bytes of cookie.
     */
    public int cookieLength()
    {
        return cookieLength;
    }

    /**
     * @return offset of the responder certificate.
     */
    public int certificateOffset()
    {
        return certificateOffset;
    }

    /**
     * @return bytes of responder certificate.
     */
    public int certificateLength()
    {
        return certificateLength;
    }

    /**
     * Write an RHello chunk.
     *
     * @param buffer            to write into.
     * @param offset            of the chunk header.
     * @param limit             one past the last byte the chunk may occupy.
     * @param tag               tag echo source.
     * @param tagOffset         offset in {@code tag}.
     * @param tagLength         bytes of tag echo.
     * @param cookie            cookie source.
     * @param cookieOffset      offset in {@code cookie}.
     * @param cookieLength      bytes of cookie.
     * @param certificate       responder certificate source.
     * @param certificateOffset offset in {@code certificate}.
     * @param certificateLength bytes of certificate.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final DirectBuffer tag,
        final int tagOffset,
        final int tagLength,
        final DirectBuffer cookie,
        final int cookieOffset,
        final int cookieLength,
        final DirectBuffer certificate,
        final int certificateOffset,
        final int certificateLength)
    {
        final long payloadLength = ChunkHeader.prefixed(tagLength) + ChunkHeader.prefixed(cookieLength) +
            certificateLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.RHELLO, (int)payloadLength);
        p += ChunkHeader.putPrefixed(buffer, p, tag, tagOffset, tagLength);
        p += ChunkHeader.putPrefixed(buffer, p, cookie, cookieOffset, cookieLength);
        p += ChunkHeader.putRaw(buffer, p, certificate, certificateOffset, certificateLength);
        return p - offset;
    }
}
