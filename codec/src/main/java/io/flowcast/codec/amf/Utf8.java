package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 helpers that neither allocate nor throw: comparing encoded bytes with a {@link CharSequence}, measuring and
 * writing the encoding of a {@link CharSequence}. Unpaired surrogates are written as '?', as Java's encoder does.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param value to measure.
     * @return number of bytes of its UTF-8 encoding.
     */
    public static int encodedLength(final CharSequence value)
    {
        int length = 0;
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                length += 1;
            }
            else if (c < 0x800)
            {
                length += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                length += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                length += 1;
            }
            else
            {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Write the UTF-8 encoding of {@code value}; the caller has checked capacity with {@link #encodedLength}.
     *
     * @param buffer to write into.
     * @param offset of the first byte.
     * @param value  to encode.
     * @return number of bytes written.
     */
    public static int encode(final MutableDirectBuffer buffer, final int offset, final CharSequence value)
    {
        int p = offset;
        final int n = value.length();
        for (int i = 0; i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(p++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(p++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer.putByte(p++, (byte)(0xF0 | (cp >> 18)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (cp & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(p++, (byte)'?');
            }
            else
            {
                buffer.putByte(p++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(p++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(p++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return p - offset;
    }

    /**
     * Compare UTF-8 bytes with a string without decoding them.
     *
     * @param buffer   holding the bytes.
     * @param offset   of the first byte.
     * @param length   of the bytes.
     * @param expected to compare with.
     * @return true if the bytes are exactly the UTF-8 encoding of {@code expected}.
     */
    public static boolean equals(final DirectBuffer buffer, final int offset, final int length, final CharSequence expected)
    {
        final int n = expected.length();
        if (n > length)
        {
            return false; // every char takes at least one byte
        }
        int p = offset;
        final int end = offset + length;
        for (int i = 0; i < n; i++)
        {
            final char c = expected.charAt(i);
            if (c >= 0x80)
            {
                return slowEquals(buffer, offset, length, expected);
            }
            if (p >= end || buffer.getByte(p++) != (byte)c)
            {
                return false;
            }
        }
        return p == end;
    }

    private static boolean slowEquals(
        final DirectBuffer buffer, final int offset, final int length, final CharSequence expected)
    {
        if (encodedLength(expected) != length)
        {
            return false;
        }
        // rare: compare char by char re-encoding into a small window
        int p = offset;
        final int n = expected.length();
        for (int i = 0; i < n; i++)
        {
            final char c = expected.charAt(i);
            int cp = c;
            int bytes;
            if (c < 0x80)
            {
                bytes = 1;
            }
            else if (c < 0x800)
            {
                bytes = 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(expected.charAt(i + 1)))
            {
                cp = Character.toCodePoint(c, expected.charAt(++i));
                bytes = 4;
            }
            else if (Character.isSurrogate(c))
            {
                cp = '?';
                bytes = 1;
            }
            else
            {
                bytes = 3;
            }
            for (int b = 0; b < bytes; b++)
            {
                final int expectedByte;
                if (1 == bytes)
                {
                    expectedByte = cp;
                }
                else
                {
                    final int shift = 6 * (bytes - 1 - b);
                    final int lead = 0 == b ? (0xF00 >> bytes) & 0xFF : 0x80;
                    final int mask = 0 == b ? (0x7F >> bytes) : 0x3F;
                    expectedByte = lead | ((cp >> shift) & mask);
                }
                if ((buffer.getByte(p++) & 0xFF) != expectedByte)
                {
                    return false;
                }
            }
        }
        return true;
    }
}
