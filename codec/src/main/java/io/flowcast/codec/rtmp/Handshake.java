package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * RTMP handshake packets (rtmp-1.0.txt §5.2):
 * <pre>
 * C0/S0: | version u8 (3) |
 * C1/S1: | time u32 | zero u32 (a version in the digest handshake) | random 1528 bytes |      1536 bytes
 * C2/S2: | time u32 (peer's C1/S1 time) | time2 u32 | random echo 1528 bytes |              1536 bytes
 * </pre>
 * A flyweight over a 1536-byte C1/S1/C2/S2 packet. The "complex" handshake hides an HMAC-SHA256 digest in the
 * random bytes: see {@link HandshakeDigest}.
 */
public final class Handshake
{
    /** Length of C0/S0. */
    public static final int VERSION_LENGTH = 1;
    /** The RTMP version in C0/S0 (plain RTMP; 6 was RTMPE). */
    public static final int RTMP_VERSION = 3;
    /** Length of C1, S1, C2, S2. */
    public static final int PACKET_LENGTH = 1536;
    public static final int TIME_OFFSET = 0;
    public static final int ZERO_OFFSET = 4;
    public static final int TIME2_OFFSET = 4;
    public static final int RANDOM_OFFSET = 8;
    public static final int RANDOM_LENGTH = PACKET_LENGTH - RANDOM_OFFSET;

    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holding at least {@link #PACKET_LENGTH} bytes at {@code offset} (checked by the caller).
     * @param offset of the packet.
     * @return this.
     */
    public Handshake wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the time field (ms epoch of the sender; may be 0).
     */
    public long time()
    {
        return buffer.getInt(offset + TIME_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @return bytes 4..7: zero in C1/S1 of the simple handshake, the sender's version in the digest handshake,
     * time2 in C2/S2.
     */
    public long second()
    {
        return buffer.getInt(offset + ZERO_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @return offset of the random bytes.
     */
    public int randomOffset()
    {
        return offset + RANDOM_OFFSET;
    }

    /**
     * @return true if C2/S2 echoes the peer's C1/S1 random bytes (the simple handshake check).
     */
    public boolean echoes(final DirectBuffer peer, final int peerOffset)
    {
        for (int i = RANDOM_OFFSET; i < PACKET_LENGTH; i += 8)
        {
            if (buffer.getLong(offset + i) != peer.getLong(peerOffset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Write the header of C1/S1 (the caller fills the random bytes).
     *
     * @param buffer  to write into.
     * @param offset  of the packet.
     * @param time    the sender's time.
     * @param version 0 for the simple handshake, the sender's version for the digest handshake.
     */
    public static void encodeC1(final MutableDirectBuffer buffer, final int offset, final int time, final int version)
    {
        buffer.putInt(offset + TIME_OFFSET, time, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + ZERO_OFFSET, version, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write a simple-handshake C2/S2: the peer's time, our time, the peer's random bytes echoed.
     *
     * @param buffer     to write into.
     * @param offset     of the packet.
     * @param peer       holding the peer's C1/S1.
     * @param peerOffset of the peer's packet.
     * @param time2      our time when the peer's packet was read.
     */
    public static void encodeEcho(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer peer, final int peerOffset, final int time2)
    {
        buffer.putInt(offset + TIME_OFFSET, peer.getInt(peerOffset + TIME_OFFSET, ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + TIME2_OFFSET, time2, ByteOrder.BIG_ENDIAN);
        buffer.putBytes(offset + RANDOM_OFFSET, peer, peerOffset + RANDOM_OFFSET, RANDOM_LENGTH);
    }
}
