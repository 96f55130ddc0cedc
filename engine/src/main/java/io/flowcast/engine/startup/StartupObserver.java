package io.flowcast.engine.startup;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Optional view of each initiator startup step (RFC 7016 §3.5.1.1.1), for diagnostics such as
 * {@code flowcast connect}. Called on the agent thread on rare events only; every method defaults to nothing.
 */
public interface StartupObserver
{
    /**
     * An IHello went to a candidate address (first send and every retransmission).
     *
     * @param openId    the opening.
     * @param candidate where it went.
     */
    default void helloSent(final long openId, final InetSocketAddress candidate)
    {
    }

    /**
     * An RHello answering our tag arrived and its certificate is selected by our EPD.
     *
     * @param openId the opening.
     * @param from   its source address.
     */
    default void rhelloReceived(final long openId, final InetSocketAddress from)
    {
    }

    /**
     * An RHello answering our tag arrived but our EPD does not select its certificate: that is another endpoint.
     *
     * @param openId the opening.
     * @param from   its source address.
     */
    default void notSelected(final long openId, final InetSocketAddress from)
    {
    }

    /**
     * An IIKeying went to the responder (first send and every retransmission).
     *
     * @param openId the opening.
     * @param to     the responder's address.
     */
    default void iikeyingSent(final long openId, final InetSocketAddress to)
    {
    }

    /**
     * An RIKeying arrived for this opening (before its keys are checked).
     *
     * @param openId the opening.
     */
    default void rikeyingReceived(final long openId)
    {
    }

    /**
     * A Redirect answering our tag arrived.
     *
     * @param openId    the opening.
     * @param from      its source address.
     * @param addresses the addresses it names (empty: an implied redirect to {@code from}).
     */
    default void redirected(final long openId, final InetSocketAddress from, final List<InetSocketAddress> addresses)
    {
    }

    /**
     * The opening reached S_OPEN.
     *
     * @param session the open session.
     */
    default void opened(final Session session)
    {
    }

    /**
     * The opening failed.
     *
     * @param openId the opening.
     * @param reason why.
     */
    default void failed(final long openId, final CloseReason reason)
    {
    }
}
