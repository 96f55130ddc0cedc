package io.flowcast.config;

import java.net.InetAddress;
import java.util.List;

/**
 * Who may do something (publish, play): allowed networks minus denied ones.
 *
 * @param allow networks allowed; an address in none of them is refused.
 * @param deny  networks refused even when allowed.
 */
public record AccessRules(List<Cidr> allow, List<Cidr> deny)
{
    /**
     * @param allow allowed networks.
     * @param deny  denied networks.
     */
    public AccessRules
    {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /**
     * @param address a peer's address.
     * @return true when it is in an allowed network and in no denied one.
     */
    public boolean permits(final InetAddress address)
    {
        for (final Cidr cidr : deny)
        {
            if (cidr.contains(address))
            {
                return false;
            }
        }
        for (final Cidr cidr : allow)
        {
            if (cidr.contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
