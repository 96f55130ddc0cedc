package io.flowcast.config;

import java.net.InetAddress;

/**
 * The statistics HTTP listener.
 *
 * @param enabled     whether it runs.
 * @param bindAddress the address to listen on.
 * @param port        the TCP port.
 */
public record StatsConfig(boolean enabled, InetAddress bindAddress, int port)
{
}
