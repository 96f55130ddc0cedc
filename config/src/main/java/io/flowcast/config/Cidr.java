package io.flowcast.config;

import java.net.InetAddress;

/**
 * A network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}.
 *
 * @param network      the network address (host bits zero).
 * @param prefixLength the number of leading bits that must match.
 */
public record Cidr(InetAddress network, int prefixLength)
{
    /**
     * Parse CIDR text. A bare address means that one host (/32 or /128).
     *
     * @param text the text.
     * @return the network.
     * @throws IllegalArgumentException with the reason, for a person, when it does not parse.
     */
    public static Cidr parse(final String text)
    {
        final int slash = text.indexOf('/');
        final String addressText = slash < 0 ? text : text.substring(0, slash);
        final InetAddress address = IpAddresses.parseLiteral(addressText);
        if (null == address)
        {
            throw new IllegalArgumentException("'" + addressText + "' is not an IP address");
        }
        final int maxBits = address.getAddress().length * 8;
        int prefix = maxBits;
        if (slash >= 0)
        {
            final String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > maxBits)
            {
                throw new IllegalArgumentException("the prefix length must be 0.." + maxBits);
            }
            prefix = Integer.parseInt(prefixText);
        }
        final Cidr cidr = new Cidr(mask(address, prefix), prefix);
        if (!cidr.network.equals(address))
        {
            throw new IllegalArgumentException(
                "host bits are set after the /" + prefix + " prefix (the network is " + cidr + ")");
        }
        return cidr;
    }

    /**
     * @param address an address.
     * @return true when it is in this network (an IPv4 address never matches an IPv6 network and vice versa).
     */
    public boolean contains(final InetAddress address)
    {
        return address.getAddress().length == network.getAddress().length &&
            mask(address, prefixLength).equals(network);
    }

    private static InetAddress mask(final InetAddress address, final int prefix)
    {
        final byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++)
        {
            final int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex); // cannot happen: 4 or 16 bytes
        }
    }

    @Override
    public String toString()
    {
        return IpAddresses.toText(network) + "/" + prefixLength;
    }
}
