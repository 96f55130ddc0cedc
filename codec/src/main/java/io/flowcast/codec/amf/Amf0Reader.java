package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.flowcast.codec.amf.Amf0.*;

/**
 * A zero-allocation cursor over a sequence of AMF0 values (amf0.txt) in a {@link DirectBuffer}.
 * <p>
 * {@link #next()} reads one value and returns its marker; the accessors then describe that value in place. Objects,
 * ECMA arrays and typed objects are entered, not skipped: the following calls return their members, each with its
 * key available through {@link #keyLength()} / {@link #keyEquals(CharSequence)}, until {@link Amf0#OBJECT_END}.
 * Strict arrays likewise end with the synthetic {@link Amf0#STRICT_ARRAY_END}. Nesting is bounded by
 * {@link #MAX_DEPTH}; every length is checked against the limit, so malformed input yields a negative error code,
 * never an exception or a read past the limit. After an error the reader stays failed until wrapped again.
 * <p>
 * {@link Amf0#AVMPLUS_OBJECT} (0x11) switches to AMF3 for one value (amf0.txt §3.1, RFC 7425 §5.1 type 15/17
 * messages): the reader hands that value over to its {@link Amf3Reader} ({@link #amf3()}), positioned at the
 * AMF3 value; if the caller does not read it, the next call to {@link #next()} skips it.
 */
public final class Amf0Reader
{
    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 64;

    private static final int OBJECT_END_LENGTH = 3;

    private final int[] containerKind = new int[MAX_DEPTH];
    private final long[] containerRemaining = new long[MAX_DEPTH];
    private Amf3Reader amf3; // created on the first AVM+ marker: its reference tables take ~20 KB

    private DirectBuffer buffer;
    private int limit;
    private int position;
    private int depth;
    private boolean failed;
    private boolean amf3Pending;

    private int marker;
    private double number;
    private boolean bool;
    private int valueOffset;
    private int valueLength;
    private int keyOffset;
    private int keyLength;
    private long count;
    private int timezone;
    private int classNameOffset;
    private int classNameLength;

    /**
     * Wrap a region of AMF0 values.
     *
     * @param buffer holding the values.
     * @param offset of the first marker.
     * @param length of the region.
     * @return this.
     */
    public Amf0Reader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.depth = 0;
        this.failed = false;
        this.amf3Pending = false;
        this.keyLength = -1;
        this.marker = END;
        return this;
    }

    /**
     * Read the next value.
     *
     * @return its marker, {@link Amf0#OBJECT_END} / {@link Amf0#STRICT_ARRAY_END} closing a container,
     * {@link Amf0#END} at the end of input at depth 0, or a negative {@code ERROR_*} code.
     */
    public int next()
    {
        if (failed)
        {
            return ERROR_FAILED;
        }
        if (amf3Pending)
        {
            amf3Pending = false;
            amf3.wrap(buffer, position, limit - position);
            final int skipped = amf3.skipValue();
            if (skipped < 0)
            {
                return fail(Amf3.ERROR_TRUNCATED == skipped ? ERROR_TRUNCATED : ERROR_MARKER);
            }
            position = amf3.position();
        }

        keyLength = -1;
        if (depth > 0)
        {
            final int top = depth - 1;
            if (STRICT_ARRAY == containerKind[top])
            {
                if (0 == containerRemaining[top])
                {
                    depth--;
                    return marker = STRICT_ARRAY_END;
                }
                containerRemaining[top]--;
            }
            else
            {
                if (position + 2 > limit)
                {
                    return fail(ERROR_UNTERMINATED);
                }
                final int length = buffer.getShort(position, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                if (0 == length && position + OBJECT_END_LENGTH <= limit && OBJECT_END == buffer.getByte(position + 2))
                {
                    position += OBJECT_END_LENGTH;
                    depth--;
                    return marker = OBJECT_END;
                }
                if (position + 2 + length > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                keyOffset = position + 2;
                keyLength = length;
                position += 2 + length;
            }
        }

        if (position >= limit)
        {
            if (depth > 0)
            {
                return fail(ERROR_UNTERMINATED);
            }
            return marker = END;
        }

        final int m = buffer.getByte(position) & 0xFF;
        int p = position + 1;
        switch (m)
        {
            case NUMBER:
                if (p + 8 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                number = buffer.getDouble(p, ByteOrder.BIG_ENDIAN);
                p += 8;
                break;

            case BOOLEAN:
                if (p + 1 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                bool = 0 != buffer.getByte(p);
                p += 1;
                break;

            case STRING:
            {
                if (p + 2 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                final int length = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                p += 2;
                if (p + length > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                valueOffset = p;
                valueLength = length;
                p += length;
                break;
            }

            case LONG_STRING:
            case XML_DOCUMENT:
            {
                if (p + 4 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                final long length = buffer.getInt(p, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                p += 4;
                if (length > limit - p)
                {
                    return fail(ERROR_TRUNCATED);
                }
                valueOffset = p;
                valueLength = (int)length;
                p += (int)length;
                break;
            }

            case OBJECT:
                if (!push(OBJECT, 0))
                {
                    return fail(ERROR_DEPTH);
                }
                break;

            case TYPED_OBJECT:
            {
                if (p + 2 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                final int length = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                p += 2;
                if (p + length > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                classNameOffset = p;
                classNameLength = length;
                p += length;
                if (!push(TYPED_OBJECT, 0))
                {
                    return fail(ERROR_DEPTH);
                }
                break;
            }

            case ECMA_ARRAY:
                if (p + 4 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                count = buffer.getInt(p, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL; // a hint only: pairs end with 00 00 09
                p += 4;
                if (!push(ECMA_ARRAY, 0))
                {
                    return fail(ERROR_DEPTH);
                }
                break;

            case STRICT_ARRAY:
                if (p + 4 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                count = buffer.getInt(p, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                p += 4;
                if (count > limit - p) // every element takes at least its marker byte
                {
                    return fail(ERROR_TRUNCATED);
                }
                if (!push(STRICT_ARRAY, count))
                {
                    return fail(ERROR_DEPTH);
                }
                break;

            case DATE:
                if (p + 10 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                number = buffer.getDouble(p, ByteOrder.BIG_ENDIAN);
                timezone = buffer.getShort(p + 8, ByteOrder.BIG_ENDIAN);
                p += 10;
                break;

            case REFERENCE:
                if (p + 2 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                count = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                p += 2;
                break;

            case NULL:
            case UNDEFINED:
            case UNSUPPORTED:
                break;

            case AVMPLUS_OBJECT:
                if (p >= limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                amf3Pending = true;
                amf3().wrap(buffer, p, limit - p);
                break;

            case MOVIECLIP:
            case RECORDSET:
                return fail(ERROR_UNSUPPORTED);

            default:
                return fail(ERROR_MARKER);
        }

        position = p;
        return marker = m;
    }

    /**
     * Skip the rest of the container just entered (after {@link #next()} returned {@link Amf0#OBJECT},
     * {@link Amf0#ECMA_ARRAY}, {@link Amf0#TYPED_OBJECT} or {@link Amf0#STRICT_ARRAY}); for any other value this
     * does nothing.
     *
     * @return the closing result ({@link Amf0#OBJECT_END}, {@link Amf0#STRICT_ARRAY_END}), the marker of the
     * scalar value just read, or an error code.
     */
    public int skipContainer()
    {
        if (OBJECT != marker && ECMA_ARRAY != marker && TYPED_OBJECT != marker && STRICT_ARRAY != marker)
        {
            return failed ? ERROR_FAILED : marker;
        }
        final int target = depth - 1;
        int result;
        do
        {
            result = next();
            if (result < END || END == result)
            {
                return result < END ? result : fail(ERROR_UNTERMINATED);
            }
        }
        while (depth > target);
        return result;
    }

    /**
     * Move past an AMF3 value read through {@link #amf3()} after {@link Amf0#AVMPLUS_OBJECT}.
     *
     * @param amf3Position position after the AMF3 value ({@link Amf3Reader#position()}).
     * @return 0, or {@link Amf0#ERROR_STATE} if no AMF3 value is pending or the position is out of range.
     */
    public int resumeAt(final int amf3Position)
    {
        if (!amf3Pending || amf3Position < position || amf3Position > limit)
        {
            return fail(ERROR_STATE);
        }
        amf3Pending = false;
        position = amf3Position;
        return 0;
    }

    private boolean push(final int kind, final long remaining)
    {
        if (depth >= MAX_DEPTH)
        {
            return false;
        }
        containerKind[depth] = kind;
        containerRemaining[depth] = remaining;
        depth++;
        return true;
    }

    private int fail(final int error)
    {
        failed = true;
        return error;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the position after the last value read (the next marker, or the AMF3 value after 0x11).
     */
    public int position()
    {
        return position;
    }

    /**
     * @return one past the last byte of the wrapped region.
     */
    public int limit()
    {
        return limit;
    }

    /**
     * @return number of containers currently open.
     */
    public int depth()
    {
        return depth;
    }

    /**
     * @return the result of the last {@link #next()}.
     */
    public int marker()
    {
        return marker;
    }

    /**
     * @return the reader for the AMF3 value after {@link Amf0#AVMPLUS_OBJECT}, wrapped at that value.
     */
    public Amf3Reader amf3()
    {
        if (null == amf3)
        {
            amf3 = new Amf3Reader();
        }
        return amf3;
    }

    /**
     * @return the value of a {@link Amf0#NUMBER}, or the milliseconds of a {@link Amf0#DATE}.
     */
    public double number()
    {
        return number;
    }

    /**
     * @return the value of a {@link Amf0#BOOLEAN}.
     */
    public boolean bool()
    {
        return bool;
    }

    /**
     * @return the time zone field of a {@link Amf0#DATE} (amf0.txt says: reserved, send 0).
     */
    public int timezone()
    {
        return timezone;
    }

    /**
     * @return for an ECMA array the associative count (a hint), for a strict array its element count, for a
     * reference its index.
     */
    public long count()
    {
        return count;
    }

    /**
     * @return offset of the UTF-8 bytes of a string, long string or XML document.
     */
    public int stringOffset()
    {
        return valueOffset;
    }

    /**
     * @return length in bytes of a string, long string or XML document.
     */
    public int stringLength()
    {
        return valueLength;
    }

    /**
     * Decode the string value: allocates, for the rare command path.
     *
     * @return the string value of the last string, long string or XML document.
     */
    public String string()
    {
        return buffer.getStringWithoutLengthUtf8(valueOffset, valueLength);
    }

    /**
     * @param expected the string to compare with.
     * @return true if the last string value equals {@code expected}, compared without allocating.
     */
    public boolean stringEquals(final CharSequence expected)
    {
        return Utf8.equals(buffer, valueOffset, valueLength, expected);
    }

    /**
     * @return length of the key of the value just read inside an object or ECMA array, or -1 when there is none.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * @return offset of the UTF-8 key of the value just read inside an object or ECMA array.
     */
    public int keyOffset()
    {
        return keyOffset;
    }

    /**
     * @param expected key to compare with.
     * @return true if the value just read has that key, compared without allocating.
     */
    public boolean keyEquals(final CharSequence expected)
    {
        return keyLength >= 0 && Utf8.equals(buffer, keyOffset, keyLength, expected);
    }

    /**
     * Decode the key: allocates, for the rare command path.
     *
     * @return the key of the value just read, or null.
     */
    public String key()
    {
        return keyLength < 0 ? null : buffer.getStringWithoutLengthUtf8(keyOffset, keyLength);
    }

    /**
     * @return offset of the class name of the last {@link Amf0#TYPED_OBJECT}.
     */
    public int classNameOffset()
    {
        return classNameOffset;
    }

    /**
     * @return length of the class name of the last {@link Amf0#TYPED_OBJECT}.
     */
    public int classNameLength()
    {
        return classNameLength;
    }
}
