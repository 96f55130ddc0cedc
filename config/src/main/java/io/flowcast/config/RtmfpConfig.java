package io.flowcast.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * RTMFP listeners: where we bind, and, kept apart, what we tell peers (the two differ behind NAT).
 *
 * @param bindAddresses   addresses of this machine the main port is bound on (wildcards allowed).
 * @param port            the main UDP port, the front door that redirects new sessions to core listeners.
 * @param publicAddresses hosts (IP literals or DNS names) peers reach us at, from {@code rtmfp.public-addresses};
 *                        empty when not behind NAT.
 * @param corePorts       the port range for the per-core listeners.
 * @param coreListeners   how many per-core listeners; listener i binds {@code corePorts.first() + i}.
 * @param advertisedHosts the hosts put in redirects and told to peers: the public addresses when set, otherwise
 *                        the bind addresses with a wildcard replaced by this machine's addresses.
 */
public record RtmfpConfig(
    List<InetAddress> bindAddresses,
    int port,
    List<String> publicAddresses,
    PortRange corePorts,
    int coreListeners,
    List<String> advertisedHosts)
{
    /**
     * @param bindAddresses   bind addresses.
     * @param port            main port.
     * @param publicAddresses public addresses.
     * @param corePorts       core port range.
     * @param coreListeners   core listener count.
     * @param advertisedHosts advertised hosts.
     */
    public RtmfpConfig
    {
        bindAddresses = List.copyOf(bindAddresses);
        publicAddresses = List.copyOf(publicAddresses);
        advertisedHosts = List.copyOf(advertisedHosts);
    }

    /**
     * @param listener a core listener index, 0 .. {@code coreListeners() - 1}.
     * @return the UDP port it binds.
     */
    public int coreListenerPort(final int listener)
    {
        if (listener < 0 || listener >= coreListeners)
        {
            throw new IndexOutOfBoundsException("core listener " + listener + " of " + coreListeners);
        }
        return corePorts.first() + listener;
    }

    /**
     * The addresses a peer should use to reach one of our ports: each advertised host with that port. This is
     * what goes in an RFC 7016 Redirect (§3.5.1.1.1) to a core listener.
     *
     * @param port a port of ours: {@link #port()} or a {@link #coreListenerPort(int)}.
     * @return one address per advertised host; a DNS name is left unresolved (no lookup is done here).
     */
    public List<InetSocketAddress> advertisedAddresses(final int port)
    {
        final List<InetSocketAddress> addresses = new ArrayList<>(advertisedHosts.size());
        for (final String host : advertisedHosts)
        {
            final InetAddress literal = IpAddresses.parseLiteral(host);
            addresses.add(null != literal ?
                new InetSocketAddress(literal, port) : InetSocketAddress.createUnresolved(host, port));
        }
        return addresses;
    }

    /**
     * Every address we advertise: for each advertised host, the main port then each core listener port.
     *
     * @return the advertised socket addresses.
     */
    public List<InetSocketAddress> advertisedAddresses()
    {
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String host : advertisedHosts)
        {
            final List<String> one = List.of(host);
            final RtmfpConfig single = new RtmfpConfig(bindAddresses, port, publicAddresses, corePorts,
                coreListeners, one);
            addresses.addAll(single.advertisedAddresses(port));
            for (int i = 0; i < coreListeners; i++)
            {
                addresses.addAll(single.advertisedAddresses(coreListenerPort(i)));
            }
        }
        return addresses;
    }
}
