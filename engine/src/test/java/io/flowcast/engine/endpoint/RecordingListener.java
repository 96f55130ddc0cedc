package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records session events from the agent thread for a test thread to await.
 */
public final class RecordingListener implements SessionListener
{
    public final LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<CloseReason> failed = new LinkedBlockingQueue<>();

    @Override
    public void onSessionOpened(final Session session)
    {
        opened.add(session);
    }

    @Override
    public void onSessionClosed(final Session session, final CloseReason reason)
    {
        closed.add(reason);
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        failed.add(reason);
    }

    public Session awaitOpened() throws InterruptedException
    {
        return opened.poll(10, TimeUnit.SECONDS);
    }

    public CloseReason awaitClosed() throws InterruptedException
    {
        return closed.poll(10, TimeUnit.SECONDS);
    }

    public CloseReason awaitFailed() throws InterruptedException
    {
        return failed.poll(10, TimeUnit.SECONDS);
    }
}
