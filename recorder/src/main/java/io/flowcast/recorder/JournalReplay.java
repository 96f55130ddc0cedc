package io.flowcast.recorder;

/**
 * Replays one recorded stream with its original pacing: a message is delivered when as much time has passed since
 * the replay started as media time has passed since the first replayed message (media timestamps, u32 ms, as RTMP
 * clients pace them). Non-blocking and allocation free, for a duty-cycle agent: call {@link #poll} with the current
 * time; nothing due means 0 and the message stays in the journal (zero copy, read in place by the tailer).
 * <p>
 * Start the reader where the replay begins ({@link JournalReader#seek(long)} for a start time, {@code toStart()} for
 * VOD). On a stream still being recorded, a replay that has caught up simply delivers new messages as they are
 * appended (catch-up on a live stream).
 */
public final class JournalReplay
{
    private final JournalReader reader;
    private final String streamKey;
    private final ControlledJournalMessageHandler pacer = this::onMessage;
    private JournalMessageHandler handler;
    private long nowNs;
    private long startNs = Long.MIN_VALUE;
    private long baseTimestamp;
    private long delivered;

    /**
     * @param reader    positioned where the replay starts.
     * @param streamKey exact stream key to replay.
     */
    public JournalReplay(final JournalReader reader, final String streamKey)
    {
        this.reader = reader;
        this.streamKey = streamKey;
    }

    /**
     * Deliver the messages that are due.
     *
     * @param nowNs   current time, ns (any monotonic clock, the same on every call).
     * @param handler receives due messages.
     * @param limit   most messages to deliver.
     * @return how many were delivered.
     */
    public int poll(final long nowNs, final JournalMessageHandler handler, final int limit)
    {
        this.nowNs = nowNs;
        this.handler = handler;
        final long before = delivered;
        while (delivered - before < limit)
        {
            final int result = reader.controlledNext(pacer);
            if (result == JournalReader.NONE_AVAILABLE || result == JournalReader.ABORTED)
            {
                break;
            }
        }
        this.handler = null;
        return (int)(delivered - before);
    }

    /**
     * @return messages delivered so far.
     */
    public long delivered()
    {
        return delivered;
    }

    /**
     * @return the time of the first delivery (the replay's time origin), or {@link Long#MIN_VALUE} before it.
     */
    public long startNs()
    {
        return startNs;
    }

    private ControlledJournalMessageHandler.Action onMessage(final JournalMessage message)
    {
        if (!message.streamKeyEquals(streamKey))
        {
            return ControlledJournalMessageHandler.Action.CONTINUE;
        }
        if (startNs == Long.MIN_VALUE)
        {
            startNs = nowNs;
            baseTimestamp = message.mediaTimestamp();
        }
        final long mediaElapsedMs = (message.mediaTimestamp() - baseTimestamp) & 0xFFFF_FFFFL;
        if (nowNs - startNs < mediaElapsedMs * 1_000_000L)
        {
            return ControlledJournalMessageHandler.Action.ABORT;
        }
        handler.onMessage(message);
        delivered++;
        return ControlledJournalMessageHandler.Action.CONTINUE;
    }
}
