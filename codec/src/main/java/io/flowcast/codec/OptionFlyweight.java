package io.flowcast.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Iterates an Option list, RFC 7016 §2.1.3, in place: each option is {@code length VLU} then {@code type VLU} and
 * {@code value}, where the length counts type and value. A zero length is the Marker that ends a User Data option
 * list (§2.3.11); other lists (certificates, endpoint discriminators, keying components) run to the end of their
 * field. Reuse one instance; nothing is allocated. Zero-length options outside User Data are skipped in a loop, so a
 * list of any length cannot exhaust the stack.
 *
 * <pre>
 *   while ((rc = options.next()) == OptionFlyweight.OPTION) { options.type(); options.valueOffset(); ... }
 *   if (rc &lt; 0) drop the packet
 * </pre>
 */
public final class OptionFlyweight
{
    /** {@link #next()}: positioned on an option. */
    public static final int OPTION = 1;
    /** {@link #next()}: the list ended at its limit (or after a Marker when markers end it). */
    public static final int END = 0;
    /** {@link #next()}: an option's length or type VLU is malformed or runs past the limit. */
    public static final int ERROR_MALFORMED = -1;
    /** {@link #next()}: an option's length claims more bytes than the list has. */
    public static final int ERROR_LENGTH = -2;
    /** {@link #next()}: a list that must end with a Marker (User Data, §2.3.11) reached its limit without one. */
    public static final int ERROR_NO_MARKER = -3;

    /** {@link #wrap} mode: zero-length options are legal and skipped; the list runs to its limit (EPD, SKIC). */
    public static final int MARKER_SKIPPED = 0;
    /** {@link #wrap} mode: a Marker, if present, ends the list (a certificate's canonical part, RFC 7425). */
    public static final int MARKER_ENDS = 1;
    /** {@link #wrap} mode: the list must end with a Marker (User Data, RFC 7016 §2.3.11). */
    public static final int MARKER_REQUIRED = 2;

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private int markerMode;
    private boolean ended;

    private int optionOffset;
    private int optionLength;
    private long type;
    private int valueOffset;
    private int valueLength;

    /**
     * @param buffer     holding the list.
     * @param offset     of its first byte.
     * @param limit      one past its last byte.
     * @param markerEnds true for User Data option lists ({@link #MARKER_REQUIRED}), false for lists that run to
     *                   their limit ({@link #MARKER_SKIPPED}).
     * @return this.
     */
    public OptionFlyweight wrap(final DirectBuffer buffer, final int offset, final int limit, final boolean markerEnds)
    {
        return wrap(buffer, offset, limit, markerEnds ? MARKER_REQUIRED : MARKER_SKIPPED);
    }

    /**
     * @param buffer     holding the list.
     * @param offset     of its first byte.
     * @param limit      one past its last byte.
     * @param markerMode {@link #MARKER_SKIPPED}, {@link #MARKER_ENDS} or {@link #MARKER_REQUIRED}.
     * @return this.
     */
    public OptionFlyweight wrap(final DirectBuffer buffer, final int offset, final int limit, final int markerMode)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
        this.markerMode = markerMode;
        this.ended = false;
        return this;
    }

    /**
     * Advance to the next option.
     *
     * @return {@link #OPTION}, {@link #END}, or a negative error code.
     */
    public int next()
    {
        while (true)
        {
            if (ended || position >= limit)
            {
                if (MARKER_REQUIRED == markerMode && !ended)
                {
                    // §2.1.4: a User Data option list ends with a Marker; running out of bytes first is a truncation
                    return ERROR_NO_MARKER;
                }
                ended = true;
                return END;
            }

            final int lengthBytes = Vlu.length(buffer, position, limit);
            if (lengthBytes < 0)
            {
                return ERROR_MALFORMED;
            }
            final long length = Vlu.value(buffer, position);
            final int contentOffset = position + lengthBytes;
            if (0 == length)
            {
                // Marker (§2.1.3). Outside User Data a zero-length option is legal and skipped.
                position = contentOffset;
                if (MARKER_SKIPPED != markerMode)
                {
                    ended = true;
                    return END;
                }
                continue;
            }
            if (Long.compareUnsigned(length, limit - contentOffset) > 0)
            {
                return ERROR_LENGTH;
            }

            final int contentLimit = contentOffset + (int)length;
            final int typeBytes = Vlu.length(buffer, contentOffset, contentLimit);
            if (typeBytes < 0)
            {
                return ERROR_MALFORMED;
            }

            optionOffset = position;
            optionLength = contentLimit - position;
            type = Vlu.value(buffer, contentOffset);
            valueOffset = contentOffset + typeBytes;
            valueLength = contentLimit - valueOffset;
            position = contentLimit;
            return OPTION;
        }
    }

    /**
     * @return offset just past the last option read (or past the Marker that ended the list).
     */
    public int position()
    {
        return position;
    }

    /**
     * @return offset of the current option's length field.
     */
    public int optionOffset()
    {
        return optionOffset;
    }

    /**
     * @return bytes of the current option, length field included.
     */
    public int optionLength()
    {
        return optionLength;
    }

    /**
     * @return the current option's type.
     */
    public long type()
    {
        return type;
    }

    /**
     * @return offset of the current option's value.
     */
    public int valueOffset()
    {
        return valueOffset;
    }

    /**
     * @return bytes in the current option's value.
     */
    public int valueLength()
    {
        return valueLength;
    }

    /**
     * @param type        option type.
     * @param valueLength bytes of value.
     * @return bytes the encoded option takes.
     */
    public static int encodedLength(final long type, final int valueLength)
    {
        final int content = Vlu.encodedLength(type) + valueLength;
        return Vlu.encodedLength(content) + content;
    }

    /**
     * Write an option header (length and type); the caller writes {@code valueLength} value bytes after it.
     *
     * @param buffer      to write into.
     * @param offset      of the option.
     * @param type        option type.
     * @param valueLength bytes of value to follow.
     * @return bytes written (the value starts at {@code offset + return}).
     */
    public static int encodeHeader(
        final MutableDirectBuffer buffer, final int offset, final long type, final int valueLength)
    {
        final int content = Vlu.encodedLength(type) + valueLength;
        int written = Vlu.encode(buffer, offset, content);
        written += Vlu.encode(buffer, offset + written, type);
        return written;
    }

    /**
     * Write a whole option.
     *
     * @param buffer      to write into.
     * @param offset      of the option.
     * @param type        option type.
     * @param value       source of the value.
     * @param valueOffset offset of the value in {@code value}.
     * @param valueLength bytes of value.
     * @return bytes written.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long type,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        final int header = encodeHeader(buffer, offset, type, valueLength);
        buffer.putBytes(offset + header, value, valueOffset, valueLength);
        return header + valueLength;
    }

    /**
     * Write a Marker (zero-length option) that ends a User Data option list.
     *
     * @param buffer to write into.
     * @param offset of the marker.
     * @return bytes written (1).
     */
    public static int encodeMarker(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)0);
        return 1;
    }
}
