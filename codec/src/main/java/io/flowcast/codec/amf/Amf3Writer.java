package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.flowcast.codec.amf.Amf3.*;

/**
 * Writes the subset of AMF3 (amf3.txt) that commands and data messages need: undefined, null, booleans, integers
 * (U29, falling back to double outside the 29-bit range), doubles, strings, anonymous dynamic objects, dense and
 * associative arrays, byte arrays. Strings and objects are always written inline, never as references (readers
 * must accept both; inline is always valid). Like {@link Amf0Writer}: chained calls, a sticky
 * {@link #overflowed()} flag, no allocation.
 */
public final class Amf3Writer
{
    private static final int INTEGER_MIN = -(1 << 28);
    private static final int INTEGER_MAX = (1 << 28) - 1;
    /** U29O-traits for an anonymous dynamic object with no sealed members: 0b1011. */
    private static final int DYNAMIC_ANONYMOUS_TRAITS = 0x0B;
    private static final int EMPTY_STRING = 0x01;

    private MutableDirectBuffer buffer;
    private int position;
    private int limit;
    private boolean overflowed;

    /**
     * @param buffer   to write into.
     * @param offset   of the first value.
     * @param capacity bytes available.
     * @return this.
     */
    public Amf3Writer wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + capacity;
        this.overflowed = false;
        return this;
    }

    /**
     * @return position after the last value written.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return true if a value did not fit (nothing was written from then on).
     */
    public boolean overflowed()
    {
        return overflowed;
    }

    /**
     * @param value 0..2^29-1.
     * @return encoded length of a U29.
     */
    public static int u29Length(final int value)
    {
        return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : 4;
    }

    private boolean reserve(final long length)
    {
        if (overflowed || length > limit - position)
        {
            overflowed = true;
            return false;
        }
        return true;
    }

    private void putU29(final int value)
    {
        if (value < 0x80)
        {
            buffer.putByte(position++, (byte)value);
        }
        else if (value < 0x4000)
        {
            buffer.putByte(position++, (byte)(0x80 | (value >>> 7)));
            buffer.putByte(position++, (byte)(value & 0x7F));
        }
        else if (value < 0x20_0000)
        {
            buffer.putByte(position++, (byte)(0x80 | (value >>> 14)));
            buffer.putByte(position++, (byte)(0x80 | ((value >>> 7) & 0x7F)));
            buffer.putByte(position++, (byte)(value & 0x7F));
        }
        else
        {
            buffer.putByte(position++, (byte)(0x80 | (value >>> 22)));
            buffer.putByte(position++, (byte)(0x80 | ((value >>> 15) & 0x7F)));
            buffer.putByte(position++, (byte)(0x80 | ((value >>> 8) & 0x7F)));
            buffer.putByte(position++, (byte)value);
        }
    }

    private Amf3Writer marker(final int marker)
    {
        if (reserve(1))
        {
            buffer.putByte(position++, (byte)marker);
        }
        return this;
    }

    /**
     * @return this, after undefined.
     */
    public Amf3Writer undefined()
    {
        return marker(UNDEFINED);
    }

    /**
     * @return this, after null.
     */
    public Amf3Writer nul()
    {
        return marker(NULL);
    }

    /**
     * @param value boolean.
     * @return this.
     */
    public Amf3Writer bool(final boolean value)
    {
        return marker(value ? TRUE : FALSE);
    }

    /**
     * @param value an integer; outside -2^28..2^28-1 it is written as a double (amf3.txt §3.6).
     * @return this.
     */
    public Amf3Writer integer(final int value)
    {
        if (value < INTEGER_MIN || value > INTEGER_MAX)
        {
            return number(value);
        }
        final int u29 = value & U29_MAX;
        if (reserve(1 + u29Length(u29)))
        {
            buffer.putByte(position++, (byte)INTEGER);
            putU29(u29);
        }
        return this;
    }

    /**
     * @param value a double.
     * @return this.
     */
    public Amf3Writer number(final double value)
    {
        if (reserve(9))
        {
            buffer.putByte(position, (byte)DOUBLE);
            buffer.putDouble(position + 1, value, ByteOrder.BIG_ENDIAN);
            position += 9;
        }
        return this;
    }

    /**
     * @param value a string (at most 2^28-1 bytes of UTF-8).
     * @return this.
     */
    public Amf3Writer string(final CharSequence value)
    {
        final int length = Utf8.encodedLength(value);
        if (length > (U29_MAX >>> 1))
        {
            overflowed = true;
            return this;
        }
        final int u29 = (length << 1) | 1;
        if (reserve(1L + u29Length(u29) + length))
        {
            buffer.putByte(position++, (byte)STRING);
            putU29(u29);
            position += Utf8.encode(buffer, position, value);
        }
        return this;
    }

    /**
     * Start an anonymous dynamic object: follow with {@link #key(CharSequence)}/value pairs and {@link #objectEnd()}.
     *
     * @return this.
     */
    public Amf3Writer objectBegin()
    {
        if (reserve(3))
        {
            buffer.putByte(position++, (byte)OBJECT);
            buffer.putByte(position++, (byte)DYNAMIC_ANONYMOUS_TRAITS);
            buffer.putByte(position++, (byte)EMPTY_STRING); // class name "": anonymous
        }
        return this;
    }

    /**
     * @param name of the next dynamic member (or associative array key); must not be empty.
     * @return this.
     */
    public Amf3Writer key(final CharSequence name)
    {
        if (0 == name.length())
        {
            overflowed = true; // the empty string ends the members: it cannot be a key
            return this;
        }
        return utf8(name);
    }

    /**
     * End the dynamic members of an object, or the associative part of an array.
     *
     * @return this.
     */
    public Amf3Writer objectEnd()
    {
        return marker(EMPTY_STRING);
    }

    /**
     * Start a dense array of {@code count} values with no associative part: follow with exactly {@code count}
     * values (no end marker).
     *
     * @param count number of values.
     * @return this.
     */
    public Amf3Writer arrayBegin(final int count)
    {
        final int u29 = (count << 1) | 1;
        if (count < 0 || count > (U29_MAX >>> 1))
        {
            overflowed = true;
            return this;
        }
        if (reserve(2 + u29Length(u29)))
        {
            buffer.putByte(position++, (byte)ARRAY);
            putU29(u29);
            buffer.putByte(position++, (byte)EMPTY_STRING);
        }
        return this;
    }

    /**
     * Start an array with an associative part: follow with key/value pairs, {@link #objectEnd()}, then exactly
     * {@code denseCount} values.
     *
     * @param denseCount number of dense values after the associative part.
     * @return this.
     */
    public Amf3Writer associativeArrayBegin(final int denseCount)
    {
        final int u29 = (denseCount << 1) | 1;
        if (denseCount < 0 || denseCount > (U29_MAX >>> 1))
        {
            overflowed = true;
            return this;
        }
        if (reserve(1 + u29Length(u29)))
        {
            buffer.putByte(position++, (byte)ARRAY);
            putU29(u29);
        }
        return this;
    }

    /**
     * @param src    holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return this, after a byte array.
     */
    public Amf3Writer byteArray(final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || length > (U29_MAX >>> 1))
        {
            overflowed = true;
            return this;
        }
        final int u29 = (length << 1) | 1;
        if (reserve(1L + u29Length(u29) + length))
        {
            buffer.putByte(position++, (byte)BYTE_ARRAY);
            putU29(u29);
            buffer.putBytes(position, src, offset, length);
            position += length;
        }
        return this;
    }

    private Amf3Writer utf8(final CharSequence value)
    {
        final int length = Utf8.encodedLength(value);
        if (length > (U29_MAX >>> 1))
        {
            overflowed = true;
            return this;
        }
        final int u29 = (length << 1) | 1;
        if (reserve((long)u29Length(u29) + length))
        {
            putU29(u29);
            position += Utf8.encode(buffer, position, value);
        }
        return this;
    }
}
