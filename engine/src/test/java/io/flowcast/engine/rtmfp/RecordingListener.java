package io.flowcast.engine.rtmfp;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records session events from the agent thread for a test thread to await.
 */
final class RecordingListener implements SessionListener
{
    final LinkedBlockingQueue<Session> opened = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<CloseReason> failed = new LinkedBlockingQueue<>();

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

    Session awaitOpened() throws InterruptedException
    {
        return opened.poll(10, TimeUnit.SECONDS);
    }

    CloseReason awaitClosed() throws InterruptedException
    {
        return closed.poll(10, TimeUnit.SECONDS);
    }

    CloseReason awaitFailed() throws InterruptedException
    {
        return failed.poll(10, TimeUnit.SECONDS);
    }
}
