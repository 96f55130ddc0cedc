package io.flowcast.config;

/**
 * Resource limits.
 *
 * @param maxSessions             most concurrent sessions.
 * @param sessionBufferBytes      bytes buffered per session.
 * @param flowBufferBytes         bytes buffered per flow, at most {@code sessionBufferBytes}.
 * @param startupPacketsPerSecond handshake packets accepted per second.
 */
public record LimitsConfig(int maxSessions, long sessionBufferBytes, long flowBufferBytes,
    int startupPacketsPerSecond)
{
}
