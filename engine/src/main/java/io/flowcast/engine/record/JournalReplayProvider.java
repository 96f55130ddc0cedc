package io.flowcast.engine.record;

import io.flowcast.engine.media.InternalPublisher;
import io.flowcast.engine.media.Publication;
import io.flowcast.engine.media.StreamSourceProvider;
import io.flowcast.recorder.JournalException;
import io.flowcast.recorder.JournalReader;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays recorded streams through the media server. A player asking for a name that is not live, of the form
 * {@code NAME@<epoch-ms>}, gets a publication named exactly that, fed from the journal with the original pacing,
 * starting at the first message of {@code app/NAME} received at or after that time; {@code NAME@start} and
 * {@code NAME@0} start at the beginning of the recording (VOD). When the start time falls within a recording still
 * going on, the replay follows the journal into the messages appended since (catch-up, paced, so it stays as far
 * behind live as it started). The publication closes when the replay has delivered everything and the recording
 * has ended, or when it has had no player for {@link #NO_PLAYER_TIMEOUT_NS}.
 * <p>
 * Each replay reads with its own Chronicle tailer over one shared read-only view of the journal, zero copy: a
 * message goes from the mapped journal file straight into {@link Publication#onMessage}. A replay starting mid-stream
 * first sends the last metadata and AVC/AAC sequence headers recorded before its start time, then video from the
 * first key frame, so a player can decode it. At most {@code maxReplays} run at once; more are refused (the player
 * sees an unknown stream), counted in {@link #refusedReplays()}. Everything runs on the media agent thread: a poll
 * reads at most {@link #RECORDS_PER_POLL} records per replay, so a replay starting deep inside a roll cycle passes
 * over the earlier records a slice per duty cycle. The journal is opened on the first replay request (a few mapped
 * files, once). A name absent from the journal starts a publication that ends once the journal has been read to its
 * end (the agent thread does not scan the journal to find out beforehand).
 */
public final class JournalReplayProvider implements StreamSourceProvider
{
    /** Separates the stream name from the start time in a replay name: {@code NAME@<epoch-ms>}. */
    public static final char START_SEPARATOR = '@';
    /** Start-time word for "from the beginning of the recording" ({@code @0} means the same). */
    public static final String FROM_START = "start";
    /** Messages delivered per replay per duty cycle at most. */
    public static final int MESSAGES_PER_POLL = 64;
    /** Journal records read per replay per duty cycle at most (other streams and records before the start). */
    public static final int RECORDS_PER_POLL = 1024;
    /** A replay that has had no player this long is closed. */
    public static final long NO_PLAYER_TIMEOUT_NS = 10_000_000_000L;

    private static final Logger LOG = Logger.getLogger(JournalReplayProvider.class.getName());

    private final Path directory;
    private final RecordedStreams streams;
    private final JournalReplaySession[] replays;
    private JournalReader journal;
    private int active;
    private long startedReplays;
    private long refusedReplays;
    private boolean closed;

    /**
     * @param directory  the journal directory.
     * @param streams    what this process records now (shared with its {@link RecordingTap}).
     * @param maxReplays most replays at once.
     */
    JournalReplayProvider(final Path directory, final RecordedStreams streams, final int maxReplays)
    {
        if (maxReplays < 1)
        {
            throw new IllegalArgumentException("maxReplays must be at least 1, not " + maxReplays);
        }
        this.directory = directory;
        this.streams = streams;
        this.replays = new JournalReplaySession[maxReplays];
    }

    /**
     * A provider for a journal that no recorder in this process writes to (every recording counts as ended once
     * read to its end).
     *
     * @param directory  the journal directory.
     * @param maxReplays most replays at once.
     * @return the provider.
     */
    public static JournalReplayProvider forJournal(final Path directory, final int maxReplays)
    {
        return new JournalReplayProvider(directory, new RecordedStreams(null), maxReplays);
    }

    /**
     * Parse the start time of a replay name.
     *
     * @param stream the requested stream name.
     * @return the start time, epoch ms ({@link Long#MIN_VALUE} for the beginning), or -1 if it is not a replay name.
     */
    public static long startTimeMs(final String stream)
    {
        final int at = stream.lastIndexOf(START_SEPARATOR);
        if (at <= 0 || at == stream.length() - 1)
        {
            return -1;
        }
        if (stream.regionMatches(true, at + 1, FROM_START, 0, FROM_START.length()) &&
            stream.length() - at - 1 == FROM_START.length())
        {
            return Long.MIN_VALUE;
        }
        final int digits = stream.length() - at - 1;
        if (digits > 15) // epoch ms stay below 10^15 for another 30,000 years
        {
            return -1;
        }
        long ms = 0;
        for (int i = at + 1; i < stream.length(); i++)
        {
            final char c = stream.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            ms = ms * 10 + (c - '0');
        }
        return 0 == ms ? Long.MIN_VALUE : ms;
    }

    @Override
    public boolean onPlayUnknown(final String app, final String stream, final InternalPublisher publisher)
    {
        final long fromMs = startTimeMs(stream);
        if (-1 == fromMs || closed)
        {
            return false;
        }
        if (active == replays.length)
        {
            refusedReplays++;
            LOG.info(() -> "replay of " + app + '/' + stream + " refused: " + replays.length +
                " replays already running (the limit)");
            return false;
        }
        if (!openJournal())
        {
            return false;
        }
        final String key = app + '/' + stream.substring(0, stream.lastIndexOf(START_SEPARATOR));
        final String replayKey = app + '/' + stream;
        final JournalReader reader = journal.newReader();
        if (Long.MIN_VALUE == fromMs)
        {
            reader.toStart();
        }
        else
        {
            reader.toCycleOf(fromMs);
        }
        streams.replayStarting(replayKey);
        final Publication publication = publisher.publish(app, stream);
        if (null == publication)
        {
            streams.replayEnded(replayKey);
            reader.close();
            return false;
        }
        for (int i = 0; i < replays.length; i++)
        {
            if (null == replays[i])
            {
                replays[i] = new JournalReplaySession(
                    reader, key, replayKey, Long.MIN_VALUE == fromMs ? Long.MIN_VALUE : fromMs * 1_000_000L,
                    publication);
                break;
            }
        }
        active++;
        startedReplays++;
        LOG.fine(() -> "replaying " + key + " as " + replayKey);
        return true;
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (0 == active)
        {
            return 0;
        }
        int work = 0;
        for (int i = 0; i < replays.length; i++)
        {
            final JournalReplaySession replay = replays[i];
            if (null != replay)
            {
                // whether the recording has ended must be read before the journal: then "caught up" means all of it
                final boolean complete = streams.isComplete(replay.streamKey());
                work += replay.poll(nowNs);
                if (replay.isDone(complete, nowNs))
                {
                    end(i);
                    work++;
                }
            }
        }
        return work;
    }

    private void end(final int i)
    {
        final JournalReplaySession replay = replays[i];
        replays[i] = null;
        active--;
        replay.close();
        streams.replayEnded(replay.replayKey());
    }

    private boolean openJournal()
    {
        if (null == journal)
        {
            try
            {
                journal = JournalReader.open(directory);
            }
            catch (final JournalException ex)
            {
                LOG.log(Level.FINE, "no replay: " + ex.getMessage());
                return false;
            }
        }
        return true;
    }

    /**
     * @return replays running now.
     */
    public int activeReplays()
    {
        return active;
    }

    /**
     * @return replays started so far.
     */
    public long startedReplays()
    {
        return startedReplays;
    }

    /**
     * @return replay requests refused because {@code maxReplays} were running.
     */
    public long refusedReplays()
    {
        return refusedReplays;
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = 0; i < replays.length; i++)
        {
            if (null != replays[i])
            {
                end(i);
            }
        }
        if (null != journal)
        {
            journal.close();
            journal = null;
        }
    }
}
