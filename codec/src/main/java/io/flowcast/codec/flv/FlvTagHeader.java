package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The 11-byte FLV tag header (flv-10.1.txt E.4.1):
 * <pre>
 * | reserved:2 filter:1 type:5 | dataSize u24 | timestamp u24 | timestampExtended u8 | streamID u24 (0) |
 * </pre>
 * The timestamp is {@code timestampExtended << 24 | timestamp} (milliseconds). Each tag is followed by its
 * PreviousTagSize (u32) = 11 + dataSize.
 */
public final class FlvTagHeader
{
    public static final int TYPE_OFFSET = 0;
    public static final int DATA_SIZE_OFFSET = 1;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int TIMESTAMP_EXTENDED_OFFSET = 7;
    public static final int STREAM_ID_OFFSET = 8;
    public static final int LENGTH = 11;
    public static final int PREVIOUS_TAG_SIZE_LENGTH = 4;

    public static final int TYPE_AUDIO = 8;
    public static final int TYPE_VIDEO = 9;
    public static final int TYPE_SCRIPT_DATA = 18;

    private static final int TYPE_MASK = 0x1F;
    private static final int FILTER_FLAG = 0x20;

    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holding at least {@link #LENGTH} bytes at {@code offset} (the caller checks).
     * @param offset of the tag header.
     * @return this.
     */
    public FlvTagHeader wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the tag type: 8 audio, 9 video, 18 script data.
     */
    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & TYPE_MASK;
    }

    /**
     * @return true if the filter bit says the tag is pre-processed (encrypted); such tags are passed through.
     */
    public boolean filtered()
    {
        return 0 != (buffer.getByte(offset + TYPE_OFFSET) & FILTER_FLAG);
    }

    /**
     * @return length of the tag data after the header.
     */
    public int dataSize()
    {
        return u24(buffer, offset + DATA_SIZE_OFFSET);
    }

    /**
     * @return the 32-bit timestamp in milliseconds.
     */
    public int timestamp()
    {
        return u24(buffer, offset + TIMESTAMP_OFFSET) | ((buffer.getByte(offset + TIMESTAMP_EXTENDED_OFFSET) & 0xFF) << 24);
    }

    /**
     * @return the stream ID (always 0 in files).
     */
    public int streamId()
    {
        return u24(buffer, offset + STREAM_ID_OFFSET);
    }

    static int u24(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getByte(offset) & 0xFF) << 16) |
            ((buffer.getByte(offset + 1) & 0xFF) << 8) |
            (buffer.getByte(offset + 2) & 0xFF);
    }

    static void putU24(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset, (byte)(value >>> 16));
        buffer.putByte(offset + 1, (byte)(value >>> 8));
        buffer.putByte(offset + 2, (byte)value);
    }

    /**
     * Write a tag header.
     *
     * @param buffer    to write into.
     * @param offset    of the header.
     * @param type      tag type (8, 9, 18).
     * @param dataSize  length of the data (at most 2^24 - 1).
     * @param timestamp milliseconds, 32 bits.
     * @param streamId  0 in files.
     * @return {@link #LENGTH}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int dataSize,
        final int timestamp,
        final int streamId)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        putU24(buffer, offset + DATA_SIZE_OFFSET, dataSize);
        putU24(buffer, offset + TIMESTAMP_OFFSET, timestamp & 0xFF_FFFF);
        buffer.putByte(offset + TIMESTAMP_EXTENDED_OFFSET, (byte)(timestamp >>> 24));
        putU24(buffer, offset + STREAM_ID_OFFSET, streamId);
        return LENGTH;
    }

    /**
     * @param buffer holding the size.
     * @param offset of the 4-byte PreviousTagSize.
     * @return its value.
     */
    public static int previousTagSize(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }
}
