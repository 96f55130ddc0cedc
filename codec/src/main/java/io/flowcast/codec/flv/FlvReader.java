package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;

/**
 * Iterates the tags of an FLV file or stream held in a {@link DirectBuffer} (a mapped file, or a receive buffer
 * being filled), allocating nothing per tag.
 * <p>
 * {@link #readHeader()} checks the file header and PreviousTagSize0; each {@link #next()} then describes one tag in
 * place: {@link #tagType()}, {@link #timestamp()}, {@link #streamId()}, {@link #dataOffset()}, {@link #dataSize()}.
 * When the bytes end inside a tag, {@link #next()} returns {@link #INCOMPLETE} and leaves {@link #position()} at the
 * start of that tag, so a streaming caller can append bytes, {@link #wrap} again at that position and resume.
 * The PreviousTagSize after each tag must be 11 + dataSize unless checking is turned off.
 */
public final class FlvReader
{
    /** The input ended exactly after a tag's PreviousTagSize. */
    public static final int END = -1;
    /** The input ends inside a tag (or header): nothing consumed, more bytes needed. */
    public static final int INCOMPLETE = -2;
    /** The file header is malformed ({@link FlvFileHeader} error). */
    public static final int ERROR_HEADER = -3;
    /** A PreviousTagSize does not match the tag before it. */
    public static final int ERROR_PREVIOUS_TAG_SIZE = -4;

    private final FlvFileHeader fileHeader = new FlvFileHeader();
    private final FlvTagHeader tagHeader = new FlvTagHeader();
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private boolean checkPreviousTagSize = true;

    private int tagOffset;
    private int tagType;
    private int timestamp;
    private int streamId;
    private int dataSize;
    private int previousTagSize;

    /**
     * @param buffer holding FLV bytes.
     * @param offset where reading starts (the file header, or a tag when resuming).
     * @param length of the bytes available.
     * @return this.
     */
    public FlvReader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    /**
     * @param check false to accept any PreviousTagSize (some muxers write wrong ones).
     * @return this.
     */
    public FlvReader checkPreviousTagSize(final boolean check)
    {
        this.checkPreviousTagSize = check;
        return this;
    }

    /**
     * Read the file header and PreviousTagSize0 at the current position.
     *
     * @return 0, {@link #INCOMPLETE}, {@link #ERROR_HEADER} or {@link #ERROR_PREVIOUS_TAG_SIZE}.
     */
    public int readHeader()
    {
        final int result = fileHeader.wrap(buffer, position, limit - position);
        if (FlvFileHeader.ERROR_TRUNCATED == result)
        {
            return INCOMPLETE;
        }
        if (result < 0)
        {
            return ERROR_HEADER;
        }
        final long body = (long)position + fileHeader.dataOffset();
        if (body + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH > limit)
        {
            return INCOMPLETE;
        }
        if (checkPreviousTagSize && 0 != FlvTagHeader.previousTagSize(buffer, (int)body))
        {
            return ERROR_PREVIOUS_TAG_SIZE;
        }
        position = (int)body + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
        return 0;
    }

    /**
     * Move to the next tag.
     *
     * @return the tag type (8 audio, 9 video, 18 script data, or another value for reserved types),
     * {@link #END}, {@link #INCOMPLETE} or {@link #ERROR_PREVIOUS_TAG_SIZE}.
     */
    public int next()
    {
        if (position >= limit)
        {
            return END;
        }
        if (limit - position < FlvTagHeader.LENGTH)
        {
            return INCOMPLETE;
        }
        tagHeader.wrap(buffer, position);
        final int size = tagHeader.dataSize();
        final long end = (long)position + FlvTagHeader.LENGTH + size + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
        if (end > limit)
        {
            return INCOMPLETE;
        }
        final int previous = FlvTagHeader.previousTagSize(buffer, (int)end - FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH);
        if (checkPreviousTagSize && previous != FlvTagHeader.LENGTH + size)
        {
            return ERROR_PREVIOUS_TAG_SIZE;
        }
        tagOffset = position;
        tagType = tagHeader.type();
        timestamp = tagHeader.timestamp();
        streamId = tagHeader.streamId();
        dataSize = size;
        previousTagSize = previous;
        position = (int)end;
        return tagType;
    }

    /**
     * @return the file header flyweight, valid after {@link #readHeader()}.
     */
    public FlvFileHeader fileHeader()
    {
        return fileHeader;
    }

    /**
     * @return where the next tag starts (everything before it is consumed).
     */
    public int position()
    {
        return position;
    }

    /**
     * @return offset of the current tag's header.
     */
    public int tagOffset()
    {
        return tagOffset;
    }

    /**
     * @return type of the current tag.
     */
    public int tagType()
    {
        return tagType;
    }

    /**
     * @return timestamp of the current tag (ms, 32 bits).
     */
    public int timestamp()
    {
        return timestamp;
    }

    /**
     * @return stream ID of the current tag.
     */
    public int streamId()
    {
        return streamId;
    }

    /**
     * @return offset of the current tag's data.
     */
    public int dataOffset()
    {
        return tagOffset + FlvTagHeader.LENGTH;
    }

    /**
     * @return length of the current tag's data.
     */
    public int dataSize()
    {
        return dataSize;
    }

    /**
     * @return the PreviousTagSize that followed the current tag.
     */
    public int previousTagSize()
    {
        return previousTagSize;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
