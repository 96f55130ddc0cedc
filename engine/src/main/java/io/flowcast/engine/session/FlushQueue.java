package io.flowcast.engine.session;

/**
 * Sessions with acknowledgements or data to send, flushed once per duty cycle so that the acknowledgements of a burst
 * of received packets are consolidated (§3.6.3.4). Agent thread only.
 */
public final class FlushQueue
{
    private Session[] queue = new Session[64];
    private int count;

    /**
     * @param session to flush at the end of this duty cycle (again, if it asks while being flushed).
     */
    public void request(final Session session)
    {
        if (count == queue.length)
        {
            queue = java.util.Arrays.copyOf(queue, count * 2);
        }
        queue[count++] = session;
    }

    /**
     * @return sessions flushed.
     */
    public int flush()
    {
        final int flushed = count;
        if (0 == flushed)
        {
            return 0;
        }
        for (int i = 0; i < flushed; i++)
        {
            final Session session = queue[i];
            queue[i] = null;
            session.flushFlows();
        }
        // sessions re-queued while flushing sit after the first entries
        final int requeued = count - flushed;
        if (requeued > 0)
        {
            System.arraycopy(queue, flushed, queue, 0, requeued);
            java.util.Arrays.fill(queue, requeued, count, null);
        }
        count = requeued;
        return flushed;
    }
}
