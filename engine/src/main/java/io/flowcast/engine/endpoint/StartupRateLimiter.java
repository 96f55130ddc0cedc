package io.flowcast.engine.endpoint;

import org.agrona.collections.Hashing;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the startup packets (session ID 0, §3.5.1) an endpoint decrypts each second, overall and per source IP
 * address, so that a flood of IHellos cannot take the agent's time. Per-address budgets live in hashed buckets (no
 * allocation; a collision only makes two addresses share a budget). Agent thread only.
 */
final class StartupRateLimiter
{
    private static final int ADDRESS_BUCKETS = 1024;
    private static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(1);

    private final int packetsPerSecond;
    private final int packetsPerSecondPerAddress;
    private final EndpointCounters counters;
    private final int[] packetsPerBucket = new int[ADDRESS_BUCKETS];
    private long windowStartNs;
    private int packetsInWindow;

    StartupRateLimiter(final EndpointContext context, final EndpointCounters counters, final long nowNs)
    {
        this.packetsPerSecond = context.startupPacketsPerSecond();
        this.packetsPerSecondPerAddress = context.startupPacketsPerSecondPerAddress();
        this.counters = counters;
        this.windowStartNs = nowNs;
    }

    /**
     * @param source the packet's source IP address.
     * @param nowNs  now.
     * @return true when the packet is within both budgets; false when it is dropped (and counted).
     */
    boolean admit(final InetAddress source, final long nowNs)
    {
        if (nowNs - windowStartNs >= WINDOW_NS)
        {
            windowStartNs = nowNs;
            packetsInWindow = 0;
            Arrays.fill(packetsPerBucket, 0);
        }
        if (++packetsInWindow > packetsPerSecond)
        {
            counters.dropRateLimited.incrementRelease();
            return false;
        }
        final int bucket = Hashing.hash(source.hashCode(), ADDRESS_BUCKETS - 1);
        if (++packetsPerBucket[bucket] > packetsPerSecondPerAddress)
        {
            counters.dropRateLimitedPerAddress.incrementRelease();
            return false;
        }
        return true;
    }
}
