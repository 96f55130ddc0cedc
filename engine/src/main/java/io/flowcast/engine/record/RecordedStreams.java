package io.flowcast.engine.record;

import io.flowcast.recorder.JournalPublisher;
import org.agrona.collections.Object2LongHashMap;

import java.util.HashSet;
import java.util.Set;

/**
 * What the {@link RecordingTap} and the {@link JournalReplayProvider} share on the media agent thread: which stream
 * keys are being recorded now (so a replay knows when a recording has ended and everything of it is in the
 * journal), and which names are replays (so the tap does not record a replay a second time). One thread only.
 */
final class RecordedStreams
{
    private static final long RECORDING = -1;
    private static final long NEVER = -2;

    private final JournalPublisher publisher;
    private final Object2LongHashMap<String> endPositions = new Object2LongHashMap<>(NEVER);
    private final Set<String> replays = new HashSet<>();

    /**
     * @param publisher the recorder's publisher (its ring positions), or null when nothing records in this process.
     */
    RecordedStreams(final JournalPublisher publisher)
    {
        this.publisher = publisher;
    }

    void recordingStarted(final String key)
    {
        endPositions.put(key, RECORDING);
    }

    /**
     * @param key      the stream key.
     * @param position the ring's producer position after the stream's last message.
     */
    void recordingEnded(final String key, final long position)
    {
        endPositions.put(key, position);
    }

    /**
     * @param key stream key.
     * @return true if nothing more of this stream will be appended: it is not being recorded now, and what was
     * offered before it ended is in the journal. Keys never recorded by this process (earlier runs) are complete.
     */
    boolean isComplete(final String key)
    {
        final long position = endPositions.getValue(key);
        if (NEVER == position)
        {
            return true;
        }
        if (RECORDING == position)
        {
            return false;
        }
        if (publisher.isAppended(position))
        {
            endPositions.removeKey(key); // keeps the map to the streams recording now
            return true;
        }
        return false;
    }

    void replayStarting(final String key)
    {
        replays.add(key);
    }

    void replayEnded(final String key)
    {
        replays.remove(key);
    }

    boolean isReplay(final String key)
    {
        return replays.contains(key);
    }
}
