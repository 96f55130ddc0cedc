package io.flowcast.config;

/**
 * The congestion control of every RTMFP session (RFC 7016 §3.5.2), config {@code flows.congestion-control}.
 */
public enum CongestionControlKind
{
    /** RFC 7016 Appendix A: TCP-compatible window, slow start, the time-critical rules. The default. */
    RFC7016,
    /** RFC 7016 Appendix A plus a queueing-delay brake ({@code flows.delay-target}): yields before loss. */
    DELAY,
    /** A constant window ({@code flows.fixed-window}) that ignores loss: private, provisioned networks only. */
    FIXED
}
