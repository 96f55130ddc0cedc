package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Responder Initial Keying (RIKeying, 0x78), RFC 7016 §2.3.8:
 * {@code responderSessionID u32 | skrcLength VLU | SKRC | signature (rest)}. The signed parameters portion is the
 * payload up to the signature (the profile appends the SKIC of the IIKeying to it). The session ID is 4 opaque
 * bytes, returned as an int read big-endian. Reuse one instance; nothing is allocated.
 */
public final class RIKeyingChunk
{
    /** Offset of the responder session ID in the payload. */
    public static final int SESSION_ID_OFFSET = 0;
    /** Offset of the SKRC length VLU in the payload. */
    public static final int SKRC_LENGTH_OFFSET = 4;

    private DirectBuffer buffer;
    private int payloadOffset;
    private int responderSessionId;
    private int skrcOffset;
    private int skrcLength;
    private int signatureOffset;
    private int signatureLength;

    /**
     * @param decoder positioned on an RIKeying chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        if (decoder.chunkType() != ChunkType.RIKEYING)
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
        if (length < SKRC_LENGTH_OFFSET)
        {
            return RtmfpError.TRUNCATED;
        }
        responderSessionId = buffer.getInt(offset + SESSION_ID_OFFSET, ByteOrder.BIG_ENDIAN);
        final int p = offset + SKRC_LENGTH_OFFSET;
        final int n = ChunkHeader.checkPrefixed(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        skrcLength = (int)Vlu.value(buffer, p);
        skrcOffset = p + n;
        signatureOffset = skrcOffset + skrcLength;
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
     * @return the responder session ID (4 bytes read big-endian).
     */
    public int responderSessionId()
    {
        return responderSessionId;
    }

    /**
     * @return offset of the session key responder component.
     */
    public int skrcOffset()
    {
        return skrcOffset;
    }

    /**
     * @return bytes of SKRC.
     */
    public int skrcLength()
    {
        return skrcLength;
    }

    /**
     * @return offset of the signed parameters portion: the payload start.
     */
    public int signedParametersOffset()
    {
        return payloadOffset;
    }

    /**
     * @return bytes of the signed parameters portion: the payload up to the signature.
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
     * Write an RIKeying chunk.
     *
     * @param buffer             to write into.
     * @param offset             of the chunk header.
     * @param limit              one past the last byte the chunk may occupy.
     * @param responderSessionId 4 bytes, written big-endian.
     * @param skrc               SKRC source.
     * @param skrcOffset         offset in {@code skrc}.
     * @param skrcLength         bytes of SKRC.
     * @param signature          signature source.
     * @param signatureOffset    offset in {@code signature}.
     * @param signatureLength    bytes of signature.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int responderSessionId,
        final DirectBuffer skrc,
        final int skrcOffset,
        final int skrcLength,
        final DirectBuffer signature,
        final int signatureOffset,
        final int signatureLength)
    {
        final long payloadLength = 4L + ChunkHeader.prefixed(skrcLength) + signatureLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.RIKEYING, (int)payloadLength);
        buffer.putInt(p, responderSessionId, ByteOrder.BIG_ENDIAN);
        p += 4;
        p += ChunkHeader.putPrefixed(buffer, p, skrc, skrcOffset, skrcLength);
        p += ChunkHeader.putRaw(buffer, p, signature, signatureOffset, signatureLength);
        return p - offset;
    }
}
