package io.flowcast.config;

import java.net.InetAddress;
import java.util.List;

/**
 * The RTMP (TCP) listener.
 *
 * @param enabled       whether it runs.
 * @param bindAddresses addresses to listen on.
 * @param port          the TCP port.
 */
public record RtmpConfig(boolean enabled, List<InetAddress> bindAddresses, int port)
{
    /**
     * @param enabled       enabled.
     * @param bindAddresses bind addresses.
     * @param port          port.
     */
    public RtmpConfig
    {
        bindAddresses = List.copyOf(bindAddresses);
    }
}
