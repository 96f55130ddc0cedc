package io.flowcast.config;

import java.time.Duration;

/**
 * How RTMFP flows send: config section {@code flows}.
 *
 * @param congestionControl  the strategy of every session.
 * @param fixedWindowBytes   the window of {@link CongestionControlKind#FIXED}.
 * @param delayTarget        the queueing delay {@link CongestionControlKind#DELAY} tolerates above the least RTT.
 * @param latencyHistograms  whether every flow records HdrHistogram latency (about 40 KB per flow).
 */
public record FlowsConfig(
    CongestionControlKind congestionControl,
    long fixedWindowBytes,
    Duration delayTarget,
    boolean latencyHistograms)
{
}
