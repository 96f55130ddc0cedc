package io.flowcast.engine.server;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

/**
 * Stands between the RTMFP endpoint and the server's session and flow listener (the RFC 7425 adapter, which calls
 * the application's session listener): whatever they throw goes to the server's counted error handler, so it is in
 * the error log and {@code flowcast stat}, and the endpoint carries on with its protocol state intact.
 */
final class ErrorGuard implements SessionListener, FlowListener
{
    private final SessionListener sessions;
    private final FlowListener flows;
    private final ErrorHandler errorHandler;

    <T extends SessionListener & FlowListener> ErrorGuard(final T listener, final ErrorHandler errorHandler)
    {
        this.sessions = listener;
        this.flows = listener;
        this.errorHandler = errorHandler;
    }

    @Override
    public void onSessionOpened(final Session session)
    {
        try
        {
            sessions.onSessionOpened(session);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onSessionClosed(final Session session, final CloseReason reason)
    {
        try
        {
            sessions.onSessionClosed(session, reason);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        try
        {
            sessions.onOpenFailed(openId, reason);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onFlowOpened(final ReceiveFlow flow)
    {
        try
        {
            flows.onFlowOpened(flow);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            flows.onMessage(flow, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onGap(final ReceiveFlow flow)
    {
        try
        {
            flows.onGap(flow);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onFlowClosed(final ReceiveFlow flow)
    {
        try
        {
            flows.onFlowClosed(flow);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    @Override
    public void onSendFlowException(final SendFlow flow, final long exceptionCode)
    {
        try
        {
            flows.onSendFlowException(flow, exceptionCode);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }
}
