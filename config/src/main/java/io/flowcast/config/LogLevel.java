package io.flowcast.config;

/**
 * The least severe level written to the log.
 */
public enum LogLevel
{
    /** Failures only. */
    ERROR,
    /** Failures and things that look wrong. */
    WARN,
    /** Lifecycle: listeners, sessions opened and closed. */
    INFO,
    /** Detail for diagnosing a problem. */
    DEBUG,
    /** Everything, per packet: slow. */
    TRACE
}
