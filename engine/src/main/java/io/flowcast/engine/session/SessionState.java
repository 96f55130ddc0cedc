package io.flowcast.engine.session;

/**
 * Session states of RFC 7016 §3.5 (Figure 8 and §3.5.5).
 */
public enum SessionState
{
    /** Initiator: IHello sent to the candidate addresses, waiting for RHello (§3.5.1.1.1). */
    IHELLO_SENT,
    /** Initiator: IIKeying sent, waiting for RIKeying (§3.5.1.1.1). */
    KEYING_SENT,
    /** Open: keys agreed, packets flow under the session keys. */
    OPEN,
    /** Orderly close started here: Session Close Request sent every 5 s until acknowledged (§3.5.5). */
    NEARCLOSE,
    /** The far end asked to close: acknowledged, lingering to answer retransmitted requests (§3.5.5). */
    FARCLOSE_LINGER,
    /** Closed: every resource released. */
    CLOSED,
    /** Initiator: the session never opened (timeout, no common group, keying failure). */
    OPEN_FAILED
}
