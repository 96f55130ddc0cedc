package io.flowcast.engine.session;

/**
 * Why a session ended or failed to open, as passed to {@link SessionListener}.
 */
public enum CloseReason
{
    /** This end asked for an orderly close and the far end acknowledged it (or 90 s passed, §3.5.5). */
    LOCAL_CLOSE,
    /** The far end sent a Session Close Request; the linger period is over. */
    REMOTE_CLOSE,
    /** The far end closed abruptly with a Session Close Acknowledgement. */
    REMOTE_ABORT,
    /** This end closed abruptly (application request or endpoint shutdown). */
    LOCAL_ABORT,
    /** Nothing was received for the dead-peer timeout despite keepalive pings (§3.5.4.1). */
    DEAD_PEER,
    /** Initiator: no RHello/RIKeying before the open timeout (§3.5.1.1.1, 95 s recommended). */
    OPEN_TIMEOUT,
    /** Initiator: the responder's certificate offers no Diffie-Hellman group in common with ours. */
    NO_COMMON_GROUP,
    /** Initiator: the RIKeying did not combine into session keys (negotiation or public-key check failed). */
    KEYING_FAILED,
    /** A new IIKeying from the same identity overrode this open session (§3.5.1.1.2, RFC 7425 §4.3.7). */
    OVERRIDDEN,
    /** Glare: the far end's simultaneous opening prevailed over this one (§3.5.1.3). */
    GLARE,
    /**
     * Initiator: the responder's certificate is that of a session already open or keying (§3.5.1.1.1 step 1); the
     * existing session stays and should be used instead.
     */
    DUPLICATE,
    /** The session limit or the opening limit was reached. */
    LIMIT
}
