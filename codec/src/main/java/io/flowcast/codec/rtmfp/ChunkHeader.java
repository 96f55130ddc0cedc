package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Chunk header, RFC 7016 §2.3: {@code chunkType u8, chunkLength u16}, then {@code chunkLength} bytes of payload.
 * Also the small helpers the chunk flyweights share for their encoders and for VLU-length-prefixed fields.
 */
public final class ChunkHeader
{
    /** Offset of the chunk type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the payload length. */
    public static final int LENGTH_OFFSET = 1;
    /** Length of a chunk header. */
    public static final int LENGTH = 3;
    /** Largest payload a chunk can carry. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    private ChunkHeader()
    {
    }

    /**
     * @param buffer to write into.
     * @param offset of the chunk.
     * @param type   chunk type.
     * @param length payload length.
     * @return {@link #LENGTH}.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final int type, final int length)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, ByteOrder.BIG_ENDIAN);
        return LENGTH;
    }

    /**
     * @param offset        of the chunk.
     * @param limit         one past the last byte the chunk may occupy.
     * @param payloadLength payload bytes.
     * @return true when a chunk of this payload fits (and its length is encodable).
     */
    public static boolean fits(final int offset, final int limit, final long payloadLength)
    {
        return payloadLength >= 0 && payloadLength <= MAX_PAYLOAD_LENGTH &&
            payloadLength <= (long)limit - offset - LENGTH;
    }

    /**
     * Write a chunk whose payload is one opaque byte string (e.g. Ping, Ping Reply, an unknown type).
     *
     * @param buffer  to write into.
     * @param offset  of the chunk.
     * @param limit   one past the last byte the chunk may occupy.
     * @param type    chunk type.
     * @param payload source of the payload (may be null when {@code length} is 0).
     * @param from    offset in {@code payload}.
     * @param length  payload bytes.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int type,
        final DirectBuffer payload,
        final int from,
        final int length)
    {
        if (!fits(offset, limit, length))
        {
            return RtmfpError.NO_SPACE;
        }
        put(buffer, offset, type, length);
        if (length > 0)
        {
            buffer.putBytes(offset + LENGTH, payload, from, length);
        }
        return LENGTH + length;
    }

    /**
     * @param length field length.
     * @return bytes of a VLU length prefix plus the field.
     */
    static long prefixed(final int length)
    {
        return Vlu.encodedLength(length) + (long)length;
    }

    /**
     * Write {@code VLU length} then the bytes.
     *
     * @return bytes written.
     */
    static int putPrefixed(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer source, final int from, final int length)
    {
        final int n = Vlu.encode(buffer, offset, length);
        if (length > 0)
        {
            buffer.putBytes(offset + n, source, from, length);
        }
        return n + length;
    }

    /**
     * Write bytes (no prefix).
     *
     * @return bytes written.
     */
    static int putRaw(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer source, final int from, final int length)
    {
        if (length > 0)
        {
            buffer.putBytes(offset, source, from, length);
        }
        return length;
    }

    /**
     * Validate a VLU length prefix at {@code offset} and that the field it announces fits before {@code limit}.
     *
     * @return bytes of the prefix, or a negative {@link RtmfpError}; read the length with {@link Vlu#value}.
     */
    static int checkPrefixed(final DirectBuffer buffer, final int offset, final int limit)
    {
        final int n = Vlu.length(buffer, offset, limit);
        if (n < 0)
        {
            return n;
        }
        final long length = Vlu.value(buffer, offset);
        return Long.compareUnsigned(length, limit - offset - n) > 0 ? RtmfpError.LENGTH_PAST_END : n;
    }
}
