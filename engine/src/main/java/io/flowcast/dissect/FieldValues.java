package io.flowcast.dissect;

import io.flowcast.codec.rtmfp.Address;
import org.agrona.DirectBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the dissector renders wire values as plain tree values: bytes as lowercase hex or UTF-8 text, addresses as
 * {@code host:port} ({@code [v6]:port}), sequence-number ranges as {@code {first, last}}.
 */
final class FieldValues
{
    private FieldValues()
    {
    }

    /** An RFC 7016 §2.1.5 address (flags, IPv4 or IPv6, port), with its origin when not unspecified. */
    static String rtmfpAddress(final DirectBuffer b, final int offset, final int limit)
    {
        final int length = Address.length(b, offset, limit);
        if (length < 0)
        {
            return "(bad address)";
        }
        final byte[] ip = new byte[Address.ipLength(b, offset)];
        b.getBytes(offset + Address.IP_OFFSET, ip);
        try
        {
            final String host = InetAddress.getByAddress(ip).getHostAddress();
            final String origin = switch (Address.origin(b, offset))
            {
                case Address.ORIGIN_LOCAL -> " (local)";
                case Address.ORIGIN_REFLEXIVE -> " (reflexive)";
                case Address.ORIGIN_RELAY -> " (relay)";
                default -> "";
            };
            return (ip.length == 16 ? "[" + host + "]" : host) + ':' + Address.port(b, offset) + origin;
        }
        catch (final UnknownHostException ex)
        {
            return "(bad address)";
        }
    }

    static String address(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + address.getPort();
    }

    static Map<String, Object> range(final long from, final long to)
    {
        final Map<String, Object> range = new LinkedHashMap<>();
        range.put("first", from);
        range.put("last", to);
        return range;
    }

    static String text(final DirectBuffer b, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        b.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String hex(final DirectBuffer b, final int offset, final int length)
    {
        final byte[] bytes = new byte[Math.max(0, length)];
        if (length > 0)
        {
            b.getBytes(offset, bytes);
        }
        return hex(bytes);
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte v : bytes)
        {
            sb.append(Character.forDigit((v >> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return sb.toString();
    }

    static String sessionIdHex(final int sessionId)
    {
        return String.format("%08x", sessionId);
    }
}
