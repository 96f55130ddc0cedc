package io.flowcast.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What validation needs to know about the machine: its IP addresses (to refuse binding an address it does not
 * have) and its processor count (for core listeners, once they are supported: issue 16). Tests build one by hand.
 *
 * @param addresses  the machine's interface addresses, without IPv6 zone.
 * @param processors available processors.
 */
public record LocalMachine(Set<InetAddress> addresses, int processors)
{
    /**
     * @param addresses  the machine's interface addresses.
     * @param processors available processors.
     */
    public LocalMachine
    {
        final Set<InetAddress> plain = new LinkedHashSet<>();
        for (final InetAddress address : addresses)
        {
            plain.add(withoutZone(address));
        }
        addresses = Collections.unmodifiableSet(plain);
    }

    /**
     * @return this machine, as {@link NetworkInterface} and {@link Runtime} report it.
     */
    public static LocalMachine probe()
    {
        final Set<InetAddress> addresses = new LinkedHashSet<>();
        try
        {
            for (final NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                addresses.addAll(Collections.list(ni.getInetAddresses()));
            }
        }
        catch (final SocketException ex)
        {
            // No interface list: validation will then refuse every non-wildcard bind, with the list shown empty.
        }
        return new LocalMachine(addresses, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param address an address.
     * @return true when the machine has it on an interface.
     */
    public boolean has(final InetAddress address)
    {
        return addresses.contains(withoutZone(address));
    }

    private static InetAddress withoutZone(final InetAddress address)
    {
        try
        {
            return InetAddress.getByAddress(address.getAddress());
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex); // cannot happen: 4 or 16 bytes
        }
    }
}
