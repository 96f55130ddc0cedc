package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Initiator Initial Keying (IIKeying, 0x38), RFC 7016 §2.3.7:
 * <pre>
 *   initiatorSignedParameters: initiatorSessionID u32 | cookieLength VLU | cookieEcho
 *                              | certLength VLU | initiatorCertificate | skicLength VLU | SKIC
 *   signature (rest)
 * </pre>
 * Offsets and lengths of every variable field are exposed so the crypto profile reads the certificate, the SKIC and
 * the signed parameters in place. The session ID is 4 opaque bytes, returned as an int read big-endian.
 * Reuse one instance; nothing is allocated.
 */
public final class IIKeyingChunk
{
    /** Offset of the initiator session ID in the payload. */
    public static final int SESSION_ID_OFFSET = 0;
    /** Offset of the cookie length VLU in the payload. */
    public static final int COOKIE_LENGTH_OFFSET = 4;

    private DirectBuffer buffer;
    private int payloadOffset;
    private int initiatorSessionId;
    private int cookieOffset;
    private int cookieLength;
    private int certificateOffset;
    private int certificateLength;
    private int skicOffset;
    private int skicLength;
    private int signatureOffset;
    private int signatureLength;

    /**
     * @param decoder positioned on an IIKeying chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.IIKEYING)
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
        this.payloadOffset = offset;
        final int limit = offset + length;
        if (length < COOKIE_LENGTH_OFFSET)
        {
            return RtmfpError.TRUNCATED;
        }
        initiatorSessionId = buffer.getInt(offset + SESSION_ID_OFFSET, ByteOrder.BIG_ENDIAN);
        int p = offset + COOKIE_LENGTH_OFFSET;

        int n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        cookieLength = (int)Vlu.value(buffer, p);
        cookieOffset = p + n;
        p = cookieOffset + cookieLength;

        n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        certificateLength = (int)Vlu.value(buffer, p);
        certificateOffset = p + n;
        p = certificateOffset + certificateLength;

        n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        skicLength = (int)Vlu.value(buffer, p);
        skicOffset = p + n;
        signatureOffset = skicOffset + skicLength;
        signatureLength = limit - signatureOffset;
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
     * @return the initiator session ID (4 bytes read big-endian).
     */
    public int initiatorSessionId()
    {
        return initiatorSessionId;
    }

    /**
     * @return offset of the cookie echo.
     */
    public int cookieOffset()
    {
        return cookieOffset;
    }

    /**
     * @return bytes of cookie echo.
     */
    public int cookieLength()
    {
        return cookieLength;
    }

    /**
     * @return offset of the initiator certificate.
     */
    public int certificateOffset()
    {
        return certificateOffset;
    }

    /**
     * @return bytes of initiator certificate.
     */
    public int certificateLength()
    {
        return certificateLength;
    }

    /**
     * @return offset of the session key initiator component.
     */
    public int skicOffset()
    {
        return skicOffset;
    }

    /**
     * @return bytes of SKIC.
     */
    public int skicLength()
    {
        return skicLength;
    }

    /**
     * @return offset of the signed parameters: the payload start.
     */
    public int signedParametersOffset()
    {
        return payloadOffset;
    }

    /**
     * @return bytes of signed parameters: the payload up to the signature.
     */
    public int signedParametersLength()
    {
        return signatureOffset - payloadOffset;
    }

    /**
     * @return offset of the signature.
     */
    public int signatureOffset()
    {
        return signatureOffset;
    }

    /**
     * @return bytes of signature.
     */
    public int signatureLength()
    {
        return signatureLength;
    }

    /**
     * Write an IIKeying chunk.
     *
     * @param buffer             to write into.
     * @param offset             of the chunk header.
     * @param limit              one past the last byte the chunk may occupy.
     * @param initiatorSessionId 4 bytes, written big-endian.
     * @param cookie             cookie echo source.
     * @param cookieOffset       offset in {@code cookie}.
     * @param cookieLength       bytes of cookie.
     * @param certificate        initiator certificate source.
     * @param certificateOffset  offset in {@code certificate}.
     * @param certificateLength  bytes of certificate.
     * @param skic               SKIC source.
     * @param skicOffset         offset in {@code skic}.
     * @param skicLength         bytes of SKIC.
     * @param signature          signature source.
     * @param signatureOffset    offset in {@code signature}.
     * @param signatureLength    bytes of signature.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int initiatorSessionId,
        final DirectBuffer cookie,
        final int cookieOffset,
        final int cookieLength,
        final DirectBuffer certificate,
        final int certificateOffset,
        final int certificateLength,
        final DirectBuffer skic,
        final int skicOffset,
        final int skicLength,
        final DirectBuffer signature,
        final int signatureOffset,
        final int signatureLength)
    {
        final long payloadLength = 4L + ChunkHeader.prefixed(cookieLength) + ChunkHeader.prefixed(certificateLength) +
            ChunkHeader.prefixed(skicLength) + signatureLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.IIKEYING, (int)payloadLength);
        buffer.putInt(p, initiatorSessionId, ByteOrder.BIG_ENDIAN);
        p += 4;
        p += ChunkHeader.putPrefixed(buffer, p, cookie, cookieOffset, cookieLength);
        p += ChunkHeader.putPrefixed(buffer, p, certificate, certificateOffset, certificateLength);
        p += ChunkHeader.putPrefixed(buffer, p, skic, skicOffset, skicLength);
        p += ChunkHeader.putRaw(buffer, p, signature, signatureOffset, signatureLength);
        return p - offset;
    }
}
