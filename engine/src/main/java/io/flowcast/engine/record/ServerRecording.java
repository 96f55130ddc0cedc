package io.flowcast.engine.record;

import io.flowcast.config.FlowcastConfig;
import io.flowcast.engine.RecorderSettingsMapping;
import io.flowcast.recorder.Recorder;
import io.flowcast.recorder.RecorderCounters;
import io.flowcast.recorder.RecorderSettings;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The recorder as the server runs it: built from the {@code recorder} configuration section ({@code --record DIR}
 * is its shortcut), its {@code RecorderAgent} on a thread of its own (disk I/O never happens on the network or
 * media agent thread), its counters in the server's counters file, and the two things the media server plugs in:
 * {@link #tap()} (a {@code StreamTap}) and {@link #replayProvider()} (a {@code StreamSourceProvider}).
 * <p>
 * {@link #close()} after the media server has stopped: it ends any replay still running, then stops the agent, which
 * appends what is left in the ring and closes the journal.
 */
public final class ServerRecording implements AutoCloseable
{
    /** Replays running at once, at most, unless told otherwise. */
    public static final int DEFAULT_MAX_REPLAYS = 32;

    /**
     * The agent parks this long whenever the ring is empty: nothing waits on the disk, and the default 8 MiB ring
     * holds 320 ms of 100 streams at 2 Mbit/s, so a short sleep costs no drop and saves the CPU that spinning and
     * yielding between messages would burn (see engine README, Recording).
     */
    static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Logger LOG = Logger.getLogger(ServerRecording.class.getName());

    private final RecorderSettings settings;
    private final Recorder recorder;
    private final AgentRunner runner;
    private final RecordingTap tap;
    private final JournalReplayProvider replayProvider;

    private ServerRecording(
        final RecorderSettings settings, final Recorder recorder, final AtomicCounter errors, final int maxReplays,
        final org.agrona.ErrorHandler errorHandler)
    {
        this.settings = settings;
        this.recorder = recorder;
        final RecordedStreams streams = new RecordedStreams(recorder.publisher());
        this.tap = new RecordingTap(recorder.publisher(), streams);
        this.replayProvider = new JournalReplayProvider(settings.directory(), streams, maxReplays);
        this.runner = new AgentRunner(
            new SleepingIdleStrategy(IDLE_PARK_NS),
            null != errorHandler ? errorHandler : ex -> LOG.log(Level.SEVERE, "recorder agent error", ex), errors,
            recorder.agent());
    }

    /**
     * Start recording as the configuration says.
     *
     * @param config   a valid configuration with {@code recorder.enabled = true}.
     * @param counters the server's counters (its counters file), where the recorder's counters are allocated.
     * @return the running recording.
     * @throws IllegalArgumentException if recording is not enabled.
     * @throws io.flowcast.recorder.JournalException if the journal cannot be opened (the message says why).
     */
    public static ServerRecording start(final FlowcastConfig config, final CountersManager counters)
    {
        return start(RecorderSettingsMapping.settings(config.recorder()), counters, DEFAULT_MAX_REPLAYS);
    }

    /**
     * @param settings   with recording enabled.
     * @param counters   where the recorder's counters are allocated.
     * @param maxReplays replays running at once, at most.
     * @return the running recording.
     */
    public static ServerRecording start(
        final RecorderSettings settings, final CountersManager counters, final int maxReplays)
    {
        return start(settings, counters, maxReplays, null);
    }

    /**
     * @param settings     with recording enabled.
     * @param counters     where the recorder's counters are allocated.
     * @param maxReplays   replays running at once, at most.
     * @param errorHandler what the recorder agent throws goes here (also counted in "recorder: agent errors"); null:
     *                     logged.
     * @return the running recording.
     */
    public static ServerRecording start(
        final RecorderSettings settings, final CountersManager counters, final int maxReplays,
        final org.agrona.ErrorHandler errorHandler)
    {
        if (!settings.enabled())
        {
            throw new IllegalArgumentException("recording is not enabled (recorder.enabled = false)");
        }
        final RecorderCounters recorderCounters = RecorderCounters.allocate(counters);
        final AtomicCounter errors = counters.newCounter(
            "recorder: agent errors", RecorderCounters.RECORDER_COUNTER_TYPE_ID);
        final Recorder recorder;
        try
        {
            recorder = Recorder.create(settings, recorderCounters);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.closeAll(recorderCounters.droppedMessages(), recorderCounters.recordedMessages(),
                recorderCounters.recordedBytes(), errors); // frees them in the counters file
            throw ex;
        }
        final ServerRecording recording = new ServerRecording(settings, recorder, errors, maxReplays, errorHandler);
        AgentRunner.startOnThread(recording.runner, r -> // the runner names the thread after the role: "recorder"
        {
            final Thread thread = new Thread(r);
            thread.setDaemon(true);
            return thread;
        });
        return recording;
    }

    /**
     * @return the tap to register with the media server.
     */
    public RecordingTap tap()
    {
        return tap;
    }

    /**
     * @return the replay provider to register with the media server.
     */
    public JournalReplayProvider replayProvider()
    {
        return replayProvider;
    }

    /**
     * @return the recorder's counters (dropped, recorded messages and bytes).
     */
    public RecorderCounters counters()
    {
        return recorder.counters();
    }

    /**
     * @return the journal directory.
     */
    public Path directory()
    {
        return settings.directory();
    }

    /**
     * @return the settings recorded by.
     */
    public RecorderSettings settings()
    {
        return settings;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(replayProvider::close, runner);
    }
}
