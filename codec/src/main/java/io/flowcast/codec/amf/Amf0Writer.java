package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.flowcast.codec.amf.Amf0.*;

/**
 * Writes AMF0 values (amf0.txt) into a {@link MutableDirectBuffer} up to an explicit limit, allocating nothing.
 * <p>
 * Calls chain; a value that does not fit is not written and sets the sticky {@link #overflowed()} flag, after which
 * every call is ignored, so a command is written in one expression and checked once:
 * <pre>{@code
 * writer.wrap(buffer, offset, capacity).string("onStatus").number(0).nul()
 *     .objectBegin().key("level").string("status").key("code").string(code).objectEnd();
 * if (writer.overflowed()) ... else length = writer.position() - offset;
 * }</pre>
 */
public final class Amf0Writer
{
    private static final int MAX_SHORT_STRING = 0xFFFF;

    private MutableDirectBuffer buffer;
    private int position;
    private int limit;
    private boolean overflowed;

    /**
     * @param buffer   to write into.
     * @param offset   of the first value.
     * @param capacity bytes available from {@code offset}.
     * @return this.
     */
    public Amf0Writer wrap(final MutableDirectBuffer buffer, final int offset, final int capacity)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + capacity;
        this.overflowed = false;
        return this;
    }

    /**
     * @return the position after the last value written.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return true if a value did not fit; nothing was written from that value on.
     */
    public boolean overflowed()
    {
        return overflowed;
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

    /**
     * @param value a number (IEEE 754 double).
     * @return this.
     */
    public Amf0Writer number(final double value)
    {
        if (reserve(9))
        {
            buffer.putByte(position, (byte)NUMBER);
            buffer.putDouble(position + 1, value, ByteOrder.BIG_ENDIAN);
            position += 9;
        }
        return this;
    }

    /**
     * @param value a boolean.
     * @return this.
     */
    public Amf0Writer bool(final boolean value)
    {
        if (reserve(2))
        {
            buffer.putByte(position, (byte)BOOLEAN);
            buffer.putByte(position + 1, (byte)(value ? 1 : 0));
            position += 2;
        }
        return this;
    }

    /**
     * @return this, after writing null.
     */
    public Amf0Writer nul()
    {
        return marker(NULL);
    }

    /**
     * @return this, after writing undefined.
     */
    public Amf0Writer undefined()
    {
        return marker(UNDEFINED);
    }

    /**
     * Start an anonymous object: follow with {@link #key(CharSequence)}/value pairs and {@link #objectEnd()}.
     *
     * @return this.
     */
    public Amf0Writer objectBegin()
    {
        return marker(OBJECT);
    }

    /**
     * Start an ECMA array: follow with key/value pairs and {@link #objectEnd()}.
     *
     * @param associativeCount number of pairs that follow (a hint to readers).
     * @return this.
     */
    public Amf0Writer ecmaArrayBegin(final int associativeCount)
    {
        if (reserve(5))
        {
            buffer.putByte(position, (byte)ECMA_ARRAY);
            buffer.putInt(position + 1, associativeCount, ByteOrder.BIG_ENDIAN);
            position += 5;
        }
        return this;
    }

    /**
     * Start a strict array: follow with exactly {@code count} values (no end marker).
     *
     * @param count number of values.
     * @return this.
     */
    public Amf0Writer strictArrayBegin(final int count)
    {
        if (reserve(5))
        {
            buffer.putByte(position, (byte)STRICT_ARRAY);
            buffer.putInt(position + 1, count, ByteOrder.BIG_ENDIAN);
            position += 5;
        }
        return this;
    }

    /**
     * End an object or ECMA array: the empty key and the object-end marker, {@code 00 00 09}.
     *
     * @return this.
     */
    public Amf0Writer objectEnd()
    {
        if (reserve(3))
        {
            buffer.putShort(position, (short)0, ByteOrder.BIG_ENDIAN);
            buffer.putByte(position + 2, (byte)OBJECT_END);
            position += 3;
        }
        return this;
    }

    /**
     * @param name of the next member of an object or ECMA array (UTF-8, at most 65535 bytes).
     * @return this.
     */
    public Amf0Writer key(final CharSequence name)
    {
        final int length = Utf8.encodedLength(name);
        if (length > MAX_SHORT_STRING)
        {
            overflowed = true;
            return this;
        }
        if (reserve(2 + length))
        {
            buffer.putShort(position, (short)length, ByteOrder.BIG_ENDIAN);
            Utf8.encode(buffer, position + 2, name);
            position += 2 + length;
        }
        return this;
    }

    /**
     * Write a string: string-type up to 65535 bytes of UTF-8, long-string-type beyond.
     *
     * @param value to write.
     * @return this.
     */
    public Amf0Writer string(final CharSequence value)
    {
        final int length = Utf8.encodedLength(value);
        final int header = length > MAX_SHORT_STRING ? 5 : 3;
        if (reserve((long)header + length))
        {
            putStringHeader(length);
            Utf8.encode(buffer, position + header, value);
            position += header + length;
        }
        return this;
    }

    /**
     * Write a string from UTF-8 bytes already encoded (e.g. a stream name copied from a command).
     *
     * @param src    holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return this.
     */
    public Amf0Writer string(final DirectBuffer src, final int offset, final int length)
    {
        final int header = length > MAX_SHORT_STRING ? 5 : 3;
        if (reserve((long)header + length))
        {
            putStringHeader(length);
            buffer.putBytes(position + header, src, offset, length);
            position += header + length;
        }
        return this;
    }

    /**
     * @param epochMillis milliseconds since 1970-01-01 UTC; the time zone field is written as 0 (amf0.txt §2.13).
     * @return this.
     */
    public Amf0Writer date(final double epochMillis)
    {
        if (reserve(11))
        {
            buffer.putByte(position, (byte)DATE);
            buffer.putDouble(position + 1, epochMillis, ByteOrder.BIG_ENDIAN);
            buffer.putShort(position + 9, (short)0, ByteOrder.BIG_ENDIAN);
            position += 11;
        }
        return this;
    }

    /**
     * Copy already-encoded AMF bytes (e.g. an object read with {@link Amf0Reader}).
     *
     * @param src    holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @return this.
     */
    public Amf0Writer raw(final DirectBuffer src, final int offset, final int length)
    {
        if (reserve(length))
        {
            buffer.putBytes(position, src, offset, length);
            position += length;
        }
        return this;
    }

    private void putStringHeader(final int length)
    {
        if (length > MAX_SHORT_STRING)
        {
            buffer.putByte(position, (byte)LONG_STRING);
            buffer.putInt(position + 1, length, ByteOrder.BIG_ENDIAN);
        }
        else
        {
            buffer.putByte(position, (byte)STRING);
            buffer.putShort(position + 1, (short)length, ByteOrder.BIG_ENDIAN);
        }
    }

    private Amf0Writer marker(final int marker)
    {
        if (reserve(1))
        {
            buffer.putByte(position++, (byte)marker);
        }
        return this;
    }
}
