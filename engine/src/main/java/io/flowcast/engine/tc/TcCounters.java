package io.flowcast.engine.tc;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.charset.StandardCharsets;

/**
 * The RFC 7425 transport's counters ({@code rtmfp media: } in {@code flowcast stat}), allocated from an Agrona
 * {@link CountersManager}. Written only by the endpoint's agent thread.
 */
public final class TcCounters implements AutoCloseable
{
    final AtomicCounter connectionsOpened;
    final AtomicCounter connectionsOpen;
    final AtomicCounter connectionsRefused;
    final AtomicCounter flowsRejected;
    final AtomicCounter messagesIn;
    final AtomicCounter messagesOut;
    final AtomicCounter malformedMessages;
    final AtomicCounter ignoredMessages;
    final AtomicCounter backPressured;
    final AtomicCounter messagesTooLarge;
    final AtomicCounter flowSyncsSent;

    private final AtomicCounter[] all;

    /**
     * @param manager where the counters go, or null for a private one (tests).
     */
    public TcCounters(final CountersManager manager)
    {
        final CountersManager m = null != manager ? manager : new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(16 * CountersManager.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(16 * CountersManager.COUNTER_LENGTH, 64)),
            StandardCharsets.US_ASCII);
        final String prefix = "rtmfp media: ";
        int i = 0;
        final AtomicCounter[] list = new AtomicCounter[16];
        list[i++] = connectionsOpened = m.newCounter(prefix + "NetConnections opened");
        list[i++] = connectionsOpen = m.newCounter(prefix + "NetConnections open");
        list[i++] = connectionsRefused = m.newCounter(prefix + "NetConnections refused (limit, second control flow)");
        list[i++] = flowsRejected = m.newCounter(prefix + "flows rejected (not TC, not associated, no connection)");
        list[i++] = messagesIn = m.newCounter(prefix + "TC messages in");
        list[i++] = messagesOut = m.newCounter(prefix + "TC messages out");
        list[i++] = malformedMessages = m.newCounter(prefix + "TC messages dropped: malformed");
        list[i++] = ignoredMessages = m.newCounter(prefix + "TC messages ignored (chunk control, user control)");
        list[i++] = backPressured = m.newCounter(prefix + "messages refused: flow back-pressured");
        list[i++] = messagesTooLarge = m.newCounter(prefix + "messages refused: larger than the flow buffer");
        list[i++] = flowSyncsSent = m.newCounter(prefix + "flow syncs sent");
        all = java.util.Arrays.copyOf(list, i);
    }

    /**
     * @return TC messages dropped as malformed (shorter than the header, bad format byte).
     */
    public long malformedMessages()
    {
        return malformedMessages.get();
    }

    /**
     * @return flows rejected.
     */
    public long flowsRejected()
    {
        return flowsRejected.get();
    }

    /**
     * @return NetConnections open now.
     */
    public long connectionsOpen()
    {
        return connectionsOpen.get();
    }

    /**
     * @return messages refused because a flow's buffer was full.
     */
    public long backPressured()
    {
        return backPressured.get();
    }

    @Override
    public void close()
    {
        for (final AtomicCounter counter : all)
        {
            counter.close();
        }
    }
}
