package io.flowcast.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The RTMP (TCP) listener.
 *
 * @param enabled        whether it runs.
 * @param bindAddresses  addresses to listen on.
 * @param port           the TCP port.
 * @param maxConnections most RTMP connections at once; more are closed on accept.
 * @param stallTimeout   how long a connection may have output pending without write progress before it is closed.
 */
public record RtmpConfig(boolean enabled, List<InetAddress> bindAddresses, int port, int maxConnections,
    Duration stallTimeout)
{
    /** Default {@link #maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Default {@link #stallTimeout}. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param enabled        enabled.
     * @param bindAddresses  bind addresses.
     * @param port           port.
     * @param maxConnections connection limit.
     * @param stallTimeout   stall timeout.
     */
    public RtmpConfig
    {
        bindAddresses = List.copyOf(bindAddresses);
    }

    /**
     * With the default limits.
     *
     * @param enabled       enabled.
     * @param bindAddresses bind addresses.
     * @param port          port.
     */
    public RtmpConfig(final boolean enabled, final List<InetAddress> bindAddresses, final int port)
    {
        this(enabled, bindAddresses, port, DEFAULT_MAX_CONNECTIONS, DEFAULT_STALL_TIMEOUT);
    }
}
