package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The FLV file header (flv-10.1.txt E.2): signature "FLV", version 1, type flags (audio 0x04, video 0x01), data
 * offset (9 for version 1). The body that follows starts with PreviousTagSize0 = 0.
 */
public final class FlvFileHeader
{
    public static final int SIGNATURE_OFFSET = 0;
    public static final int VERSION_OFFSET = 3;
    public static final int FLAGS_OFFSET = 4;
    public static final int DATA_OFFSET_OFFSET = 5;
    public static final int LENGTH = 9;
    public static final int FLAG_AUDIO = 0x04;
    public static final int FLAG_VIDEO = 0x01;
    public static final int VERSION_1 = 1;

    /** Fewer than 9 bytes. */
    public static final int ERROR_TRUNCATED = -1;
    /** Not starting with "FLV". */
    public static final int ERROR_SIGNATURE = -2;
    /** Data offset smaller than the header or beyond 2^31. */
    public static final int ERROR_DATA_OFFSET = -3;

    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param length available.
     * @return 0 or an {@code ERROR_*} code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        if (length < LENGTH)
        {
            return ERROR_TRUNCATED;
        }
        if ('F' != buffer.getByte(offset) || 'L' != buffer.getByte(offset + 1) || 'V' != buffer.getByte(offset + 2))
        {
            return ERROR_SIGNATURE;
        }
        final int dataOffset = buffer.getInt(offset + DATA_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN);
        if (dataOffset < LENGTH)
        {
            return ERROR_DATA_OFFSET;
        }
        return 0;
    }

    /**
     * @return the version byte.
     */
    public int version()
    {
        return buffer.getByte(offset + VERSION_OFFSET) & 0xFF;
    }

    /**
     * @return the type flags byte.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @return true if the audio flag is set.
     */
    public boolean hasAudio()
    {
        return 0 != (flags() & FLAG_AUDIO);
    }

    /**
     * @return true if the video flag is set.
     */
    public boolean hasVideo()
    {
        return 0 != (flags() & FLAG_VIDEO);
    }

    /**
     * @return offset of the body from the start of the header.
     */
    public int dataOffset()
    {
        return buffer.getInt(offset + DATA_OFFSET_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write a version 1 header.
     *
     * @param buffer to write into.
     * @param offset of the header.
     * @param flags  {@link #FLAG_AUDIO} | {@link #FLAG_VIDEO}.
     * @return {@link #LENGTH}.
     */
    public static int encode(final MutableDirectBuffer buffer, final int offset, final int flags)
    {
        buffer.putByte(offset, (byte)'F');
        buffer.putByte(offset + 1, (byte)'L');
        buffer.putByte(offset + 2, (byte)'V');
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION_1);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putInt(offset + DATA_OFFSET_OFFSET, LENGTH, ByteOrder.BIG_ENDIAN);
        return LENGTH;
    }
}
