package io.flowcast.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict, offline parsing of IP literals and host names: nothing here ever asks DNS.
 */
public final class IpAddresses
{
    private static final Pattern IPV4 = Pattern.compile(
        "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern HOST_NAME = Pattern.compile(
        "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern ALL_DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    private IpAddresses()
    {
    }

    /**
     * Parse an IP literal: dotted-quad IPv4 (exactly four decimal parts) or IPv6, optionally in brackets.
     * Java's own parser accepts forms such as {@code 1.2.3} (meaning 1.2.0.3); this one does not.
     *
     * @param text the literal.
     * @return the address, or null when {@code text} is not an IP literal.
     */
    public static InetAddress parseLiteral(final String text)
    {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]"))
        {
            s = s.substring(1, s.length() - 1);
        }
        try
        {
            if (IPV4.matcher(s).matches())
            {
                return InetAddress.getByName(s);
            }
            if (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches())
            {
                // A string with ':' is only ever parsed as an IPv6 literal, never looked up.
                final InetAddress address = InetAddress.getByName(s);
                return address instanceof Inet6Address || address instanceof Inet4Address ? address : null;
            }
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
        return null;
    }

    /**
     * @param text a candidate DNS host name.
     * @return true when it is a syntactically valid host name (RFC 1123 labels) and not a malformed IP literal.
     */
    public static boolean isHostName(final String text)
    {
        final String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return HOST_NAME.matcher(s).matches() && !ALL_DIGITS_AND_DOTS.matcher(s).matches();
    }

    /**
     * @param address an address.
     * @return its text without host name or zone; IPv6 in the RFC 5952 short form ({@code 2001:db8::1}).
     */
    public static String toText(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        if (b.length == 4)
        {
            return address.getHostAddress();
        }
        // RFC 5952: lower-case hex, no leading zeros, the longest run (2+) of zero groups as "::" (first on ties).
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++)
        {
            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':')
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * @param address an address.
     * @return true for addresses that are only reachable inside a private network: RFC 1918, RFC 6598 shared
     * (carrier-grade NAT), loopback, link-local, and IPv6 unique-local.
     */
    public static boolean isPrivate(final InetAddress address)
    {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress())
        {
            return true;
        }
        final byte[] b = address.getAddress();
        if (b.length == 4)
        {
            return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        }
        return (b[0] & 0xFE) == 0xFC;
    }
}
