package io.flowcast.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The RTMFP listener: one endpoint agent on one UDP port, bound on each of these addresses. (Public addresses and
 * core listeners are not supported yet: {@link ConfigLoader} refuses their keys.)
 *
 * @param bindAddresses addresses of this machine the port is bound on (wildcards allowed).
 * @param port          the UDP port.
 */
public record RtmfpConfig(List<InetAddress> bindAddresses, int port)
{
    /**
     * @param bindAddresses bind addresses.
     * @param port          the port.
     */
    public RtmfpConfig
    {
        bindAddresses = List.copyOf(bindAddresses);
    }
}
