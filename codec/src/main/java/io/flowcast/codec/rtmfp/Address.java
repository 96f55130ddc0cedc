package io.flowcast.codec.rtmfp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Internet socket address, RFC 7016 §2.1.5: a flags byte (IP6, 5 reserved bits, 2-bit origin), a 4- or 16-byte
 * address and a 16-bit port, all network byte order. Static accessors over a buffer, validated by
 * {@link #length(DirectBuffer, int, int)} first.
 */
public final class Address
{
    /** Flags: IPv6 address follows. */
    public static final int FLAG_INET6 = 0x80;
    /** Flags: the origin bits. */
    public static final int ORIGIN_MASK = 0x03;
    /** Origin 0: unknown, unspecified or other. */
    public static final int ORIGIN_UNKNOWN = 0;
    /** Origin 1: a local interface address reported by its owner. */
    public static final int ORIGIN_LOCAL = 1;
    /** Origin 2: observed as a packet's source address (reflexive). */
    public static final int ORIGIN_REFLEXIVE = 2;
    /** Origin 3: a relay, proxy or introducer. */
    public static final int ORIGIN_RELAY = 3;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the IP address. */
    public static final int IP_OFFSET = 1;
    /** Encoded length of an IPv4 address. */
    public static final int IPV4_LENGTH = 1 + 4 + 2;
    /** Encoded length of an IPv6 address. */
    public static final int IPV6_LENGTH = 1 + 16 + 2;

    private Address()
    {
    }

    /**
     * @param buffer holding the address.
     * @param offset of its flags byte.
     * @param limit  one past the last byte it may occupy.
     * @return its encoded length ({@link #IPV4_LENGTH} or {@link #IPV6_LENGTH}), or {@link RtmfpError#BAD_ADDRESS}.
     */
    public static int length(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (offset < 0 || offset >= limit)
        {
            return RtmfpError.BAD_ADDRESS;
        }
        final int length = (buffer.getByte(offset) & FLAG_INET6) != 0 ? IPV6_LENGTH : IPV4_LENGTH;
        return length <= limit - offset ? length : RtmfpError.BAD_ADDRESS;
    }

    /**
     * @param buffer holding a validated address.
     * @param offset of its flags byte.
     * @return true for IPv6.
     */
    public static boolean isInet6(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_INET6) != 0;
    }

    /**
     * @param buffer holding a validated address.
     * @param offset of its flags byte.
     * @return the origin tag, 0..3.
     */
    public static int origin(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & ORIGIN_MASK;
    }

    /**
     * @param buffer holding a validated address.
     * @param offset of its flags byte.
     * @return bytes of IP address: 4 or 16.
     */
    public static int ipLength(final DirectBuffer buffer, final int offset)
    {
        return isInet6(buffer, offset) ? 16 : 4;
    }

    /**
     * @param buffer holding a validated IPv4 address.
     * @param offset of its flags byte.
     * @return the IPv4 address as a big-endian int.
     */
    public static int ipv4(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + IP_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding a validated address.
     * @param offset of its flags byte.
     * @return the port, 0..65535.
     */
    public static int port(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + IP_OFFSET + ipLength(buffer, offset), ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer to write into.
     * @param offset of the address.
     * @param ipv4   address as a big-endian int.
     * @param port   0..65535.
     * @param origin 0..3.
     * @return bytes written ({@link #IPV4_LENGTH}).
     */
    public static int encodeIpv4(
        final MutableDirectBuffer buffer, final int offset, final int ipv4, final int port, final int origin)
    {
        buffer.putByte(offset, (byte)(origin & ORIGIN_MASK));
        buffer.putInt(offset + IP_OFFSET, ipv4, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + IP_OFFSET + 4, (short)port, ByteOrder.BIG_ENDIAN);
        return IPV4_LENGTH;
    }

    /**
     * @param buffer   to write into.
     * @param offset   of the address.
     * @param ip       source of the 16 address bytes.
     * @param ipOffset offset of the address bytes in {@code ip}.
     * @param port     0..65535.
     * @param origin   0..3.
     * @return bytes written ({@link #IPV6_LENGTH}).
     */
    public static int encodeIpv6(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer ip,
        final int ipOffset,
        final int port,
        final int origin)
    {
        buffer.putByte(offset, (byte)(FLAG_INET6 | (origin & ORIGIN_MASK)));
        buffer.putBytes(offset + IP_OFFSET, ip, ipOffset, 16);
        buffer.putShort(offset + IP_OFFSET + 16, (short)port, ByteOrder.BIG_ENDIAN);
        return IPV6_LENGTH;
    }
}
