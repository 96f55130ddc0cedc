package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.session.Session;

import org.agrona.DirectBuffer;

/**
 * Flow events of a session, on the endpoint's agent thread (keep them short, never block). Set one per endpoint
 * ({@link EndpointContext#flowListener}) or per session ({@link Session#flowListener}).
 */
public interface FlowListener
{
    /**
     * A new receiving flow opened (§3.6.3.1). Reject it with {@link ReceiveFlow#reject}, or keep it; messages follow
     * through {@link #onMessage}.
     *
     * @param flow the flow: metadata, return association, session.
     */
    void onFlowOpened(ReceiveFlow flow);

    /**
     * A complete message, in order unless the flow delivers in arrival order. The buffer is valid during the call only.
     *
     * @param flow   the receiving flow.
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     */
    void onMessage(ReceiveFlow flow, DirectBuffer buffer, int offset, int length);

    /**
     * Messages were abandoned by the sender before this one (§3.6.1.2: a gap is reported to the user). Default: ignored.
     *
     * @param flow the receiving flow.
     */
    default void onGap(final ReceiveFlow flow)
    {
    }

    /**
     * A receiving flow is complete: its final message was delivered (§3.6.3.8), or it was rejected and ended.
     *
     * @param flow the flow.
     */
    default void onFlowClosed(final ReceiveFlow flow)
    {
    }

    /**
     * The far end rejected one of our sending flows with a Flow Exception Report (§3.6.2.10); the flow is closing and
     * its queued messages abandoned. Default: ignored.
     *
     * @param flow          the sending flow.
     * @param exceptionCode the far end's code.
     */
    default void onSendFlowException(final SendFlow flow, final long exceptionCode)
    {
    }
}
