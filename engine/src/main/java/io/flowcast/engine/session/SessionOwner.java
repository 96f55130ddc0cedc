package io.flowcast.engine.session;

import java.net.InetSocketAddress;

/**
 * What a {@link Session} tells the endpoint that owns it: the rare events that change the session table, the
 * application's listeners or startup. Implemented by the endpoint agent; called on its thread, never per packet.
 */
public interface SessionOwner
{
    /**
     * The session entered S_OPEN (its timers and flows are set up).
     *
     * @param session the session.
     */
    void onOpened(Session session);

    /**
     * The session left S_OPEN.
     *
     * @param session the session.
     * @param reason  why.
     */
    void onClosed(Session session, CloseReason reason);

    /**
     * The session reached S_CLOSED or S_OPEN_FAILED: forget it.
     *
     * @param session the session.
     */
    void onReleased(Session session);

    /**
     * An opening failed (the session, if any, is already released).
     *
     * @param openId the opening's identifier.
     * @param reason why.
     */
    void onOpenFailed(long openId, CloseReason reason);

    /**
     * §3.5.4.2: the session's DESTADDR moved.
     *
     * @param session the session, already at its new address.
     * @param from    its previous address.
     */
    void onAddressChanged(Session session, InetSocketAddress from);

    /**
     * The timer of an opening (S_IHELLO_SENT or S_KEYING_SENT) fired: startup's retransmission and open timeout.
     *
     * @param session the opening.
     */
    void onStartupTimer(Session session);
}
