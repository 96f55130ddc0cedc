package io.flowcast.engine.session;

import io.flowcast.engine.endpoint.RtmfpEndpoint;

/**
 * Session events, called on the endpoint's agent thread: keep handlers short and never block in them.
 */
public interface SessionListener
{
    /**
     * A session reached {@link SessionState#OPEN}, as initiator (after {@link RtmfpEndpoint#connect}) or responder.
     *
     * @param session the open session.
     */
    void onSessionOpened(Session session);

    /**
     * A session that was open is closed and released.
     *
     * @param session the session (no longer usable).
     * @param reason  why.
     */
    void onSessionClosed(Session session, CloseReason reason);

    /**
     * An opening requested with {@link RtmfpEndpoint#connect} failed.
     *
     * @param openId the identifier {@code connect} returned.
     * @param reason why.
     */
    void onOpenFailed(long openId, CloseReason reason);
}
