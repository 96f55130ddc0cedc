package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * RTMP chunk header layouts (rtmp-1.0.txt §6.1): basic header (fmt and chunk stream ID in 1 to 3 bytes), chunk
 * message header of type 0 (11 bytes), 1 (7), 2 (3) or 3 (0), and the 4-byte extended timestamp sent when the
 * 24-bit field holds 0xFFFFFF.
 * <pre>
 * basic: | fmt:2 | csid:6 |                      csid 2..63
 *        | fmt:2 | 0 | csid - 64 u8 |             csid 64..319
 *        | fmt:2 | 1 | (csid - 64) u16 little-endian |  csid 64..65599
 * type 0: | timestamp u24 | length u24 | type u8 | message stream ID u32 little-endian |
 * type 1: | delta u24 | length u24 | type u8 |
 * type 2: | delta u24 |
 * </pre>
 */
public final class ChunkHeader
{
    public static final int FMT_0 = 0;
    public static final int FMT_1 = 1;
    public static final int FMT_2 = 2;
    public static final int FMT_3 = 3;

    public static final int MIN_CHUNK_STREAM_ID = 2;
    public static final int MAX_CHUNK_STREAM_ID = 65599;
    /** 24-bit timestamp value signalling an extended timestamp. */
    public static final int EXTENDED_TIMESTAMP_MARK = 0xFF_FFFF;
    public static final int EXTENDED_TIMESTAMP_LENGTH = 4;
    /** Longest chunk header: 3-byte basic header, type 0 message header, extended timestamp. */
    public static final int MAX_LENGTH = 3 + 11 + EXTENDED_TIMESTAMP_LENGTH;
    /** Largest message length: the 24-bit length field. */
    public static final int MAX_MESSAGE_LENGTH = 0xFF_FFFF;

    public static final int TIMESTAMP_OFFSET = 0;
    public static final int LENGTH_OFFSET = 3;
    public static final int TYPE_OFFSET = 6;
    public static final int STREAM_ID_OFFSET = 7;

    private static final int[] MESSAGE_HEADER_LENGTH = { 11, 7, 3, 0 };

    private ChunkHeader()
    {
    }

    /**
     * @param fmt chunk type 0..3.
     * @return length of its message header.
     */
    public static int messageHeaderLength(final int fmt)
    {
        return MESSAGE_HEADER_LENGTH[fmt & 3];
    }

    /**
     * @param firstByte of a basic header.
     * @return length of the basic header: 1, 2 or 3.
     */
    public static int basicHeaderLength(final int firstByte)
    {
        final int low = firstByte & 0x3F;
        return 0 == low ? 2 : 1 == low ? 3 : 1;
    }

    /**
     * @param buffer holding a complete basic header.
     * @param offset of its first byte.
     * @return the chunk stream ID.
     */
    public static int chunkStreamId(final DirectBuffer buffer, final int offset)
    {
        final int low = buffer.getByte(offset) & 0x3F;
        if (0 == low)
        {
            return 64 + (buffer.getByte(offset + 1) & 0xFF);
        }
        if (1 == low)
        {
            return 64 + (buffer.getByte(offset + 1) & 0xFF) + ((buffer.getByte(offset + 2) & 0xFF) << 8);
        }
        return low;
    }

    /**
     * @param chunkStreamId 2..65599.
     * @return length of the smallest basic header that holds it.
     */
    public static int basicHeaderLengthFor(final int chunkStreamId)
    {
        return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
    }

    /**
     * Write the smallest basic header for a chunk stream ID.
     *
     * @param buffer        to write into.
     * @param offset        of the header.
     * @param fmt           chunk type 0..3.
     * @param chunkStreamId 2..65599.
     * @return bytes written.
     */
    public static int encodeBasicHeader(
        final MutableDirectBuffer buffer, final int offset, final int fmt, final int chunkStreamId)
    {
        final int top = fmt << 6;
        if (chunkStreamId < 64)
        {
            buffer.putByte(offset, (byte)(top | chunkStreamId));
            return 1;
        }
        final int id = chunkStreamId - 64;
        if (chunkStreamId < 320)
        {
            buffer.putByte(offset, (byte)top);
            buffer.putByte(offset + 1, (byte)id);
            return 2;
        }
        buffer.putByte(offset, (byte)(top | 1));
        buffer.putByte(offset + 1, (byte)id);
        buffer.putByte(offset + 2, (byte)(id >>> 8));
        return 3;
    }

    /**
     * @param buffer holding the field.
     * @param offset of the field.
     * @return an unsigned 24-bit big-endian value.
     */
    public static int u24(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getByte(offset) & 0xFF) << 16) |
            ((buffer.getByte(offset + 1) & 0xFF) << 8) |
            (buffer.getByte(offset + 2) & 0xFF);
    }

    /**
     * @param buffer to write into.
     * @param offset of the field.
     * @param value  low 24 bits are written big-endian.
     */
    public static void putU24(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset, (byte)(value >>> 16));
        buffer.putByte(offset + 1, (byte)(value >>> 8));
        buffer.putByte(offset + 2, (byte)value);
    }

    /**
     * @param buffer holding a type 0 message header.
     * @param offset of the message header.
     * @return the message stream ID (little-endian, §6.1.2.1).
     */
    public static int messageStreamId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + STREAM_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}
