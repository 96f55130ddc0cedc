package io.flowcast.recorder;

/**
 * Replays one recorded stream with its original pacing: a message is delivered when as much time has passed since
 * the replay started as media time has passed since the first replayed message (media timestamps, u32 ms, as RTMP
 * clients pace them). Non-blocking and allocation free, for a duty-cycle agent: call {@link #poll} with the current
 * time; nothing due means 0 and the message stays in the journal (zero copy, read in place by the tailer).
 * <p>
 * Start the reader where the replay begins ({@link JournalReader#seek(long)} or {@link JournalReader#toCycleOf(long)}
 * with a start time given here, {@code toStart()} for VOD). Records of the stream received before the start time are
 * passed over (shown to an optional handler, e.g. to keep the last decoder configuration) and do not start the
 * clock. On a stream still being recorded, a replay that has caught up delivers new messages as they are appended
 * (catch-up on a live stream). A media timestamp that jumps back by more than {@link #DISCONTINUITY_MS} (the stream
 * was published again and restarted at 0) restarts the pacing at that message instead of waiting for a u32 wrap.
 */
public final class JournalReplay
{
    /** A backwards jump of media time larger than this restarts the pacing. */
    public static final long DISCONTINUITY_MS = 1_000;

    private final JournalReader reader;
    private final String streamKey;
    private final long fromNs;
    private final ControlledJournalMessageHandler pacer = this::onMessage;
    private JournalMessageHandler handler;
    private JournalMessageHandler passedOverHandler;
    private long nowNs;
    private long startNs = Long.MIN_VALUE;
    private long baseTimestamp;
    private long lastTimestamp;
    private long delivered;
    private boolean caughtUp;

    /**
     * @param reader    positioned where the replay starts.
     * @param streamKey exact stream key to replay.
     */
    public JournalReplay(final JournalReader reader, final String streamKey)
    {
        this(reader, streamKey, Long.MIN_VALUE);
    }

    /**
     * @param reader    positioned at or before where the replay starts (e.g. {@link JournalReader#toCycleOf(long)}).
     * @param streamKey exact stream key to replay.
     * @param fromNs    first receive time to deliver, epoch ns ({@link Long#MIN_VALUE}: all).
     */
    public JournalReplay(final JournalReader reader, final String streamKey, final long fromNs)
    {
        this.reader = reader;
        this.streamKey = streamKey;
        this.fromNs = fromNs;
    }

    /**
     * @param handler sees the records of the stream passed over because they were received before the start time
     *                (null: none).
     * @return this.
     */
    public JournalReplay passedOverHandler(final JournalMessageHandler handler)
    {
        this.passedOverHandler = handler;
        return this;
    }

    /**
     * Deliver the messages that are due, reading as many records as it takes.
     *
     * @param nowNs   current time, ns (any monotonic clock, the same on every call).
     * @param handler receives due messages.
     * @param limit   most messages to deliver.
     * @return how many were delivered.
     */
    public int poll(final long nowNs, final JournalMessageHandler handler, final int limit)
    {
        return poll(nowNs, handler, limit, Integer.MAX_VALUE);
    }

    /**
     * Deliver the messages that are due, reading at most {@code recordLimit} records (delivered or passed over:
     * other streams, records before the start time), so one call stays short on a journal shared by many streams.
     *
     * @param nowNs       current time, ns (any monotonic clock, the same on every call).
     * @param handler     receives due messages.
     * @param limit       most messages to deliver.
     * @param recordLimit most records to read.
     * @return how many were delivered.
     */
    public int poll(final long nowNs, final JournalMessageHandler handler, final int limit, final int recordLimit)
    {
        this.nowNs = nowNs;
        this.handler = handler;
        final long before = delivered;
        caughtUp = false;
        for (int records = 0; delivered - before < limit && records < recordLimit; records++)
        {
            final int result = reader.controlledNext(pacer);
            if (result == JournalReader.NONE_AVAILABLE)
            {
                caughtUp = true;
                break;
            }
            if (result == JournalReader.ABORTED)
            {
                break;
            }
        }
        this.handler = null;
        return (int)(delivered - before);
    }

    /**
     * @return true if the last {@link #poll} stopped because the journal had no more records.
     */
    public boolean caughtUp()
    {
        return caughtUp;
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
        if (message.receiveTimeNs() < fromNs)
        {
            if (null != passedOverHandler)
            {
                passedOverHandler.onMessage(message);
            }
            return ControlledJournalMessageHandler.Action.CONTINUE;
        }
        final long timestamp = message.mediaTimestamp();
        if (startNs == Long.MIN_VALUE || (int)(timestamp - lastTimestamp) < -DISCONTINUITY_MS)
        {
            startNs = nowNs;
            baseTimestamp = timestamp;
        }
        final long mediaElapsedMs = (timestamp - baseTimestamp) & 0xFFFF_FFFFL;
        if (nowNs - startNs < mediaElapsedMs * 1_000_000L)
        {
            return ControlledJournalMessageHandler.Action.ABORT;
        }
        lastTimestamp = timestamp;
        handler.onMessage(message);
        delivered++;
        return ControlledJournalMessageHandler.Action.CONTINUE;
    }
}
