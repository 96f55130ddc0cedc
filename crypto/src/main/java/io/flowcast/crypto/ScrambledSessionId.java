package io.flowcast.crypto;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The scrambled session ID of RFC 7016 §2.2.2: the session ID XOR the first two 32-bit words of the encrypted
 * packet. Session IDs are treated as 4 opaque bytes, held in an {@code int} as those bytes read big-endian, since
 * deployed peers write them in host byte order: echo the bytes, never convert through a host-order integer.
 * <p>
 * Crypto offers this for the engine until the codec packet flyweight has its own; the lead dedupes at merge.
 */
public final class ScrambledSessionId
{
    /** Bytes of the scrambled session ID at the start of a datagram. */
    public static final int LENGTH = 4;

    /** Shortest datagram that can be unscrambled: the ID and two words of ciphertext. */
    public static final int MIN_DATAGRAM_LENGTH = 12;

    private ScrambledSessionId()
    {
    }

    /**
     * @param buffer holding the datagram.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return the session ID bytes as a big-endian int (word0 ^ word1 ^ word2); 0 when the datagram is too short
     * (callers check {@link #MIN_DATAGRAM_LENGTH} first when it matters).
     */
    public static int unscramble(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_DATAGRAM_LENGTH)
        {
            return 0;
        }
        return word(buffer, offset) ^ word(buffer, offset + 4) ^ word(buffer, offset + 8);
    }

    /**
     * Write the scrambled session ID in front of an encrypted packet (the ciphertext must already be in place).
     *
     * @param buffer    holding the datagram.
     * @param offset    of the datagram.
     * @param sessionId the session ID bytes as a big-endian int.
     */
    public static void scramble(final MutableDirectBuffer buffer, final int offset, final int sessionId)
    {
        buffer.putInt(offset, sessionId ^ word(buffer, offset + 4) ^ word(buffer, offset + 8),
            BIG_ENDIAN);
    }

    /**
     * @param bytes 4 session ID bytes as carried in IIKeying / RIKeying.
     * @param offset of the first of them.
     * @return them as a big-endian int, the form the other methods take.
     */
    public static int fromBytes(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) |
            ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF);
    }

    private static int word(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, BIG_ENDIAN);
    }
}
