package io.flowcast.config;

/**
 * What an agent thread does when a duty cycle found no work (Agrona's idle strategies).
 */
public enum IdleStrategyKind
{
    /** Spin, then yield, then park with growing sleeps: a good default. */
    BACKOFF,
    /** Park for a fixed short time. */
    SLEEPING,
    /** {@code Thread.yield()}. */
    YIELDING,
    /** Spin on the CPU: lowest latency, one core burnt per thread. */
    BUSY_SPIN,
    /** Do nothing: return at once. */
    NOOP
}
