package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Writes an FLV file or stream into a {@link MutableDirectBuffer}: the header with PreviousTagSize0, then tags each
 * followed by their PreviousTagSize. Capacity is checked; a tag that does not fit is not written. Allocates nothing.
 */
public final class FlvWriter
{
    /** Largest tag data: the 24-bit DataSize. */
    public static final int MAX_DATA_SIZE = 0xFF_FFFF;

    private MutableDirectBuffer buffer;
    private int position;
    private int limit;

    /**
     * @param buffer   to write into.
     * @param offset   where writing starts.
     * @param capacity bytes available.
     * @return this.
     */
    public FlvWriter wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + capacity;
        return this;
    }

    /**
     * Write the file header and PreviousTagSize0.
     *
     * @param flags {@link FlvFileHeader#FLAG_AUDIO} | {@link FlvFileHeader#FLAG_VIDEO}.
     * @return true if written, false if it did not fit.
     */
    public boolean header(final int flags)
    {
        if (limit - position < FlvFileHeader.LENGTH + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH)
        {
            return false;
        }
        position += FlvFileHeader.encode(buffer, position, flags);
        buffer.putInt(position, 0, ByteOrder.BIG_ENDIAN);
        position += FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
        return true;
    }

    /**
     * Write one tag and its PreviousTagSize.
     *
     * @param type      8 audio, 9 video, 18 script data.
     * @param timestamp ms, 32 bits.
     * @param streamId  0 in files.
     * @param src       holding the tag data (e.g. an RTMP message payload).
     * @param offset    of the data.
     * @param length    of the data, at most {@link #MAX_DATA_SIZE}.
     * @return true if written, false if it did not fit or is too long.
     */
    public boolean tag(
        final int type,
        final int timestamp,
        final int streamId,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        final long total = (long)FlvTagHeader.LENGTH + length + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
        if (length < 0 || length > MAX_DATA_SIZE || total > limit - position)
        {
            return false;
        }
        position += FlvTagHeader.encode(buffer, position, type, length, timestamp, streamId);
        buffer.putBytes(position, src, offset, length);
        position += length;
        buffer.putInt(position, FlvTagHeader.LENGTH + length, ByteOrder.BIG_ENDIAN);
        position += FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
        return true;
    }

    /**
     * @return the position after the last byte written.
     */
    public int position()
    {
        return position;
    }
}
