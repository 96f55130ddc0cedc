package io.flowcast.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Variable Length Unsigned integer, RFC 7016 §2.1.2: big-endian groups of 7 bits, the high bit of each byte set
 * when another byte follows. Flowcast accepts values up to 64 bits (read as an unsigned {@code long}); anything
 * larger, or a VLU that runs past its limit, is a decode error, never an exception.
 * <p>
 * Decoding is two calls, so nothing is allocated: {@link #length(DirectBuffer, int, int)} validates and returns
 * the encoded length (or a negative error code), then {@link #value(DirectBuffer, int)} reads the value.
 */
public final class Vlu
{
    /** Longest encoding of a 64-bit value: ceil(64 / 7) bytes. */
    public static final int MAX_LENGTH = 10;

    /** The VLU runs past the limit of its field. */
    public static final int ERROR_TRUNCATED = -1;

    /** The VLU encodes a value of more than 64 bits. */
    public static final int ERROR_OVERFLOW = -2;

    private static final int CONTINUE = 0x80;
    private static final int DIGIT_MASK = 0x7F;

    private Vlu()
    {
    }

    /**
     * Validate the VLU at {@code offset} without reading past {@code limit}.
     *
     * @param buffer holding the VLU.
     * @param offset of its first byte.
     * @param limit  one past the last byte the VLU may occupy.
     * @return its encoded length in bytes, or {@link #ERROR_TRUNCATED} / {@link #ERROR_OVERFLOW}.
     */
    public static int length(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset >= 0 && offset < limit && buffer.getByte(offset) >= 0)
        {
            return 1; // the common one-byte case, kept small so it inlines
        }
        return multiByteLength(buffer, offset, limit);
    }

    private static int multiByteLength(final DirectBuffer buffer, final int offset, final int limit)
    {
        long value = 0;
        int i = offset;
        while (true)
        {
            if (i >= limit || i < 0)
            {
                return ERROR_TRUNCATED;
            }
            if ((value >>> 57) != 0)
            {
                return ERROR_OVERFLOW;
            }
            final int b = buffer.getByte(i++) & 0xFF;
            value = (value << 7) | (b & DIGIT_MASK);
            if ((b & CONTINUE) == 0)
            {
                return i - offset;
            }
        }
    }

    /**
     * Read a VLU already validated by {@link #length(DirectBuffer, int, int)}.
     *
     * @param buffer holding the VLU.
     * @param offset of its first byte.
     * @return the value, as an unsigned 64-bit quantity.
     */
    public static long value(final DirectBuffer buffer, final int offset)
    {
        final int first = buffer.getByte(offset);
        return first >= 0 ? first : multiByteValue(buffer, offset);
    }

    private static long multiByteValue(final DirectBuffer buffer, final int offset)
    {
        long value = 0;
        int i = offset;
        int b;
        do
        {
            b = buffer.getByte(i++) & 0xFF;
            value = (value << 7) | (b & DIGIT_MASK);
        }
        while ((b & CONTINUE) != 0);
        return value;
    }

    /**
     * @param value unsigned 64-bit value.
     * @return bytes needed to encode it (1 to {@link #MAX_LENGTH}).
     */
    public static int encodedLength(final long value)
    {
        final int bits = 64 - Long.numberOfLeadingZeros(value);
        return bits <= 7 ? 1 : (bits + 6) / 7;
    }

    /**
     * Write {@code value} in its shortest form.
     *
     * @param buffer to write into; the caller ensures {@link #encodedLength(long)} bytes are available.
     * @param offset of the first byte.
     * @param value  unsigned 64-bit value.
     * @return bytes written.
     */
    public static int encode(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        final int length = encodedLength(value);
        int shift = 7 * (length - 1);
        for (int i = 0; i < length; i++, shift -= 7)
        {
            final int digit = (int)(value >>> shift) & DIGIT_MASK;
            buffer.putByte(offset + i, (byte)(i == length - 1 ? digit : digit | CONTINUE));
        }
        return length;
    }
}
