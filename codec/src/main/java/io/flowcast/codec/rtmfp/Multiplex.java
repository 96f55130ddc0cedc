package io.flowcast.codec.rtmfp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The multiplex layer, RFC 7016 §2.2.2: a datagram is the scrambled session ID (4 bytes) then the encrypted packet.
 * The session ID is {@code SSID XOR first32[0] XOR first32[1]} of the encrypted packet, an encrypted packet shorter
 * than 8 bytes being treated as end-padded with zeros. Session IDs are 4 opaque bytes (the reference peer writes a
 * host-order integer): they are carried here as an {@code int} read big-endian, so XOR and echo are bytewise exact.
 */
public final class Multiplex
{
    /** Offset of the scrambled session ID in the datagram. */
    public static final int SCRAMBLED_SESSION_ID_OFFSET = 0;
    /** Length of the (scrambled) session ID. */
    public static final int SESSION_ID_LENGTH = 4;
    /** Offset of the encrypted packet in the datagram. */
    public static final int ENCRYPTED_PACKET_OFFSET = 4;
    /** Session ID 0: the startup pseudo-session, Default Session Key (§2.2.2). */
    public static final int STARTUP_SESSION_ID = 0;

    private Multiplex()
    {
    }

    /**
     * Unscramble the session ID of a datagram.
     *
     * @param buffer holding the datagram.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return the session ID as an unsigned 32-bit value (bytes 0..3 read big-endian), or {@link RtmfpError#TRUNCATED}
     * when the datagram is shorter than 4 bytes.
     */
    public static long sessionId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < SESSION_ID_LENGTH)
        {
            return RtmfpError.TRUNCATED;
        }
        final int ssid = buffer.getInt(offset + SCRAMBLED_SESSION_ID_OFFSET, ByteOrder.BIG_ENDIAN);
        return (ssid ^ scrambleMask(buffer, offset, length)) & 0xFFFF_FFFFL;
    }

    /**
     * Write the scrambled session ID into bytes 0..3 of a datagram whose encrypted packet is already in place.
     *
     * @param buffer    holding the datagram.
     * @param offset    of the datagram.
     * @param length    of the datagram (4 + encrypted packet), at least 4.
     * @param sessionId to scramble, as 4 bytes read big-endian.
     */
    public static void scramble(
        final MutableDirectBuffer buffer, final int offset, final int length, final int sessionId)
    {
        final int scrambled = sessionId ^ scrambleMask(buffer, offset, length);
        buffer.putInt(offset + SCRAMBLED_SESSION_ID_OFFSET, scrambled, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Replace the scrambled session ID at bytes 0..3 of a datagram by the plain session ID, in place.
     *
     * @param buffer holding the datagram.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return {@link RtmfpError#OK}, or {@link RtmfpError#TRUNCATED} when shorter than 4 bytes (nothing written).
     */
    public static int unscramble(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final long sessionId = sessionId(buffer, offset, length);
        if (sessionId < 0)
        {
            return (int)sessionId;
        }
        buffer.putInt(offset + SCRAMBLED_SESSION_ID_OFFSET, (int)sessionId, ByteOrder.BIG_ENDIAN);
        return RtmfpError.OK;
    }

    private static int scrambleMask(final DirectBuffer buffer, final int offset, final int length)
    {
        final int encryptedLength = length - ENCRYPTED_PACKET_OFFSET;
        final int first = offset + ENCRYPTED_PACKET_OFFSET;
        if (encryptedLength >= 8)
        {
            return buffer.getInt(first, ByteOrder.BIG_ENDIAN) ^ buffer.getInt(first + 4, ByteOrder.BIG_ENDIAN);
        }
        int mask = 0;
        for (int i = 0; i < encryptedLength; i++)
        {
            mask ^= (buffer.getByte(first + i) & 0xFF) << (24 - 8 * (i & 3));
        }
        return mask;
    }
}
