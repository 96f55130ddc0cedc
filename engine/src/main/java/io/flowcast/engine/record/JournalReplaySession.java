package io.flowcast.engine.record;

import io.flowcast.engine.media.Publication;
import io.flowcast.recorder.JournalMessage;
import io.flowcast.recorder.JournalMessageHandler;
import io.flowcast.recorder.JournalReader;
import io.flowcast.recorder.JournalRecord;
import io.flowcast.recorder.JournalReplay;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One replay of {@link JournalReplayProvider}: a paced {@link JournalReplay} over its own tailer, feeding a
 * {@link Publication}. Started mid-stream, it keeps copies of the decoder configuration passed over (the last
 * {@code onMetaData} data message and the AVC and AAC sequence headers, FLV 10.1 E.4.2.1 /
 * E.4.3.1) and sends them before the first message, then video from the first key frame.
 */
final class JournalReplaySession implements JournalMessageHandler
{
    private static final int NONE = -1;
    private static final byte[] ON_META_DATA = {'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'};

    private final JournalReader reader;
    private final JournalReplay replay;
    private final String streamKey;
    private final String replayKey;
    private final Publication publication;
    private final Carried metadata = new Carried();
    private final Carried videoConfig = new Carried();
    private final Carried audioConfig = new Carried();
    private boolean started;
    private boolean videoStarted;
    private long lastPlayerNs = Long.MIN_VALUE;

    JournalReplaySession(
        final JournalReader reader,
        final String streamKey,
        final String replayKey,
        final long fromNs,
        final Publication publication)
    {
        this.reader = reader;
        this.streamKey = streamKey;
        this.replayKey = replayKey;
        this.publication = publication;
        this.videoStarted = Long.MIN_VALUE == fromNs;
        this.replay = new JournalReplay(reader, streamKey, fromNs).passedOverHandler(this::carry);
    }

    int poll(final long nowNs)
    {
        if (Long.MIN_VALUE == lastPlayerNs || publication.hasPlayers())
        {
            lastPlayerNs = nowNs;
        }
        return replay.poll(nowNs, this, JournalReplayProvider.MESSAGES_PER_POLL, JournalReplayProvider.RECORDS_PER_POLL);
    }

    /**
     * @param recordingComplete the recording had ended and was all in the journal before the last poll.
     * @param nowNs             now.
     * @return true when the replay is over.
     */
    boolean isDone(final boolean recordingComplete, final long nowNs)
    {
        return (recordingComplete && replay.caughtUp()) ||
            nowNs - lastPlayerNs > JournalReplayProvider.NO_PLAYER_TIMEOUT_NS;
    }

    @Override
    public void onMessage(final JournalMessage message)
    {
        final int type = message.messageType();
        final DirectBuffer buffer = message.buffer();
        final int offset = message.payloadOffset();
        final int length = message.payloadLength();
        final int timestamp = (int)message.mediaTimestamp();
        if (!started)
        {
            started = true;
            metadata.sendTo(publication, timestamp);
            videoConfig.sendTo(publication, timestamp);
            audioConfig.sendTo(publication, timestamp);
        }
        if (JournalRecord.TYPE_VIDEO == type && !videoStarted)
        {
            if (!isKeyFrame(buffer, offset, length))
            {
                return;
            }
            videoStarted = true;
        }
        publication.onMessage(type, timestamp, buffer, offset, length);
    }

    private void carry(final JournalMessage message)
    {
        final int type = message.messageType();
        final DirectBuffer buffer = message.buffer();
        final int offset = message.payloadOffset();
        final int length = message.payloadLength();
        if ((JournalRecord.TYPE_DATA_AMF0 == type || JournalRecord.TYPE_DATA_AMF3 == type) &&
            isMetaData(buffer, offset, length))
        {
            metadata.copy(type, buffer, offset, length);
        }
        else if (JournalRecord.TYPE_VIDEO == type && length >= 2 &&
            (buffer.getByte(offset) & 0x0F) == 7 && buffer.getByte(offset + 1) == 0) // AVC, AVCPacketType 0
        {
            videoConfig.copy(type, buffer, offset, length);
        }
        else if (JournalRecord.TYPE_AUDIO == type && length >= 2 &&
            ((buffer.getByte(offset) & 0xF0) >> 4) == 10 && buffer.getByte(offset + 1) == 0) // AAC, AACPacketType 0
        {
            audioConfig.copy(type, buffer, offset, length);
        }
    }

    /** {@code onMetaData} among the first AMF values ({@code @setDataFrame} may come first). */
    private static boolean isMetaData(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = Math.min(length, 48) - ON_META_DATA.length;
        for (int i = 0; i <= end; i++)
        {
            int j = 0;
            while (j < ON_META_DATA.length && buffer.getByte(offset + i + j) == ON_META_DATA[j])
            {
                j++;
            }
            if (j == ON_META_DATA.length)
            {
                return true;
            }
        }
        return false;
    }

    /** FLV VIDEODATA FrameType 1 (key frame). */
    private static boolean isKeyFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= 1 && ((buffer.getByte(offset) & 0xF0) >> 4) == 1;
    }

    String streamKey()
    {
        return streamKey;
    }

    String replayKey()
    {
        return replayKey;
    }

    long delivered()
    {
        return replay.delivered();
    }

    void close()
    {
        publication.close();
        reader.close();
    }

    /** A copy of one configuration message passed over before the start time. */
    private static final class Carried
    {
        private final ExpandableArrayBuffer data = new ExpandableArrayBuffer(128);
        private int type = NONE;
        private int length;

        void copy(final int type, final DirectBuffer buffer, final int offset, final int length)
        {
            data.putBytes(0, buffer, offset, length);
            this.type = type;
            this.length = length;
        }

        void sendTo(final Publication publication, final int timestamp)
        {
            if (NONE != type)
            {
                publication.onMessage(type, timestamp, data, 0, length);
            }
        }
    }
}
