package io.flowcast.crypto;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The 16-bit packet checksum of the RFC 7425 crypto profile (notes §4.3): one's-complement sum of big-endian
 * 16-bit words, where a trailing odd byte is added <em>unshifted</em> (as the low-order byte), unlike RFC 1071.
 * Used for every default-key packet and for session packets of a direction without HMAC.
 */
public final class Checksum
{
    /** Bytes the checksum field takes in the plaintext. */
    public static final int LENGTH = 2;

    private Checksum()
    {
    }

    /**
     * @param buffer holding the covered bytes.
     * @param offset of the first covered byte.
     * @param length number of covered bytes.
     * @return the checksum, 0 to 0xFFFF, to be stored big-endian.
     */
    public static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        long sum = 0;
        int i = offset;
        final int wordsEnd = offset + (length & ~1);
        while (i + 8 <= wordsEnd)
        {
            final long v = buffer.getLong(i, BIG_ENDIAN);
            sum += (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
            i += 8;
        }
        while (i < wordsEnd)
        {
            sum += buffer.getShort(i, BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if ((length & 1) != 0)
        {
            // §4.3 odd-byte rule of the deployed implementations: add the last byte as the low-order byte.
            sum += buffer.getByte(i) & 0xFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum >>> 16) + (sum & 0xFFFF);
        }
        return (int)(~sum & 0xFFFF);
    }
}
