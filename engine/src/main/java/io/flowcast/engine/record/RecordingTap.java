package io.flowcast.engine.record;

import io.flowcast.engine.media.StreamTap;
import io.flowcast.recorder.JournalPublisher;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recorder's {@link StreamTap}: decides once per publication, by the configured stream patterns, whether to
 * record it, then hands each of its messages to the recorder's ring ({@link JournalPublisher#offer}) without
 * blocking or allocating. A full ring drops the message from the recording only, counted in
 * {@code recorder: messages dropped (ring full)}; the live stream is untouched. Replays started by
 * {@link JournalReplayProvider} are not recorded again. Media agent thread only.
 */
public final class RecordingTap implements StreamTap
{
    private static final Logger LOG = Logger.getLogger(RecordingTap.class.getName());
    private static final int INITIAL_HANDLES = 64;
    /** Stream handles are small ints (StreamTap); a larger one is a bug of the caller and is not recorded. */
    static final int MAX_HANDLE = 1 << 20;

    private final JournalPublisher publisher;
    private final RecordedStreams streams;
    private int[] recorderIds = new int[INITIAL_HANDLES];
    private String[] keys = new String[INITIAL_HANDLES];

    /**
     * A tap on its own, for a program that runs the recorder's agent itself ({@link ServerRecording} builds the
     * server's, sharing its state with the replay provider).
     *
     * @param publisher the recorder's publisher.
     */
    public RecordingTap(final JournalPublisher publisher)
    {
        this(publisher, new RecordedStreams(publisher));
    }

    RecordingTap(final JournalPublisher publisher, final RecordedStreams streams)
    {
        this.publisher = publisher;
        this.streams = streams;
        Arrays.fill(recorderIds, JournalPublisher.NOT_RECORDED);
    }

    @Override
    public void onPublish(final int streamHandle, final String app, final String stream)
    {
        if (streamHandle < 0 || streamHandle > MAX_HANDLE)
        {
            LOG.warning(() -> "recorder: stream handle " + streamHandle + " out of range, not recording " + app + '/' +
                stream);
            return;
        }
        ensureCapacity(streamHandle);
        final String key = app + '/' + stream;
        int id = JournalPublisher.NOT_RECORDED;
        if (!streams.isReplay(key))
        {
            try
            {
                id = publisher.registerStream(key);
            }
            catch (final IllegalArgumentException ex)
            {
                LOG.log(Level.WARNING, "recorder: not recording " + key + ": " + ex.getMessage());
            }
        }
        recorderIds[streamHandle] = id;
        keys[streamHandle] = key;
        if (JournalPublisher.NOT_RECORDED != id)
        {
            streams.recordingStarted(key);
            LOG.fine(() -> "recorder: recording " + key);
        }
    }

    @Override
    public void onMessage(
        final int streamHandle,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int[] ids = recorderIds;
        if (streamHandle >= 0 && streamHandle < ids.length)
        {
            final int id = ids[streamHandle];
            if (JournalPublisher.NOT_RECORDED != id)
            {
                publisher.offer(id, messageType, timestamp & 0xFFFF_FFFFL, buffer, offset, length);
            }
        }
    }

    @Override
    public void onUnpublish(final int streamHandle)
    {
        if (streamHandle < 0 || streamHandle >= recorderIds.length)
        {
            return;
        }
        if (JournalPublisher.NOT_RECORDED != recorderIds[streamHandle])
        {
            streams.recordingEnded(keys[streamHandle], publisher.position());
        }
        recorderIds[streamHandle] = JournalPublisher.NOT_RECORDED;
        keys[streamHandle] = null;
    }

    /**
     * @param streamHandle a publication's handle.
     * @return true if that publication is being recorded.
     */
    public boolean isRecording(final int streamHandle)
    {
        return streamHandle >= 0 && streamHandle < recorderIds.length &&
            JournalPublisher.NOT_RECORDED != recorderIds[streamHandle];
    }

    /**
     * @return messages dropped from recordings because the ring was full (also in the counters file).
     */
    public long droppedMessages()
    {
        return publisher.droppedMessages();
    }

    private void ensureCapacity(final int streamHandle)
    {
        if (streamHandle >= recorderIds.length)
        {
            int length = recorderIds.length;
            while (length <= streamHandle)
            {
                length <<= 1;
            }
            final int oldLength = recorderIds.length;
            recorderIds = Arrays.copyOf(recorderIds, length);
            Arrays.fill(recorderIds, oldLength, length, JournalPublisher.NOT_RECORDED);
            keys = Arrays.copyOf(keys, length);
        }
    }
}
