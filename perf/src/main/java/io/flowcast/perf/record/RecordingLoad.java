package io.flowcast.perf.record;

import io.flowcast.engine.record.RecordingTap;
import io.flowcast.engine.record.ServerRecording;
import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The recorder under the load, without the network: N streams of B kbit/s each (video every 33 ms, AAC-sized
 * audio every 23 ms, starts staggered) fed from one thread, standing in for the media agent, through
 * {@code RecordingTap.onMessage} into a running {@link ServerRecording} for S seconds; or the same feed with
 * recording off (no recorder at all, the calls not made: the baseline). Prints the CPU time of the process, of the feeding thread and of the recorder thread over the run,
 * and the percentiles of the feeding thread's time inside {@code onMessage} (each call timed with
 * {@code System.nanoTime()}), and the messages recorded / dropped.
 * <pre>
 * ./mvnw -q -B -ntp -DskipTests package
 * flock /tmp/flowcast-bench.lock java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar \
 *     io.flowcast.perf.record.RecordingLoad on 100 2000 20 [JOURNAL-PARENT-DIR]    # or: off
 * </pre>
 * The journal goes to a fresh directory under JOURNAL-PARENT-DIR (default: java.io.tmpdir, a disk here), deleted
 * at the end.
 */
public final class RecordingLoad
{
    private static final long VIDEO_INTERVAL_NS = 33_333_333L;
    private static final long AUDIO_INTERVAL_NS = 23_219_955L; // 1024 samples at 44.1 kHz
    private static final int AUDIO_BYTES = 370; // ~128 kbit/s

    public static void main(final String[] args) throws Exception
    {
        final boolean on = "on".equals(args[0]);
        final int streams = Integer.parseInt(args[1]);
        final int kbps = Integer.parseInt(args[2]);
        final int seconds = Integer.parseInt(args[3]);
        final Path parent = Path.of(args.length > 4 ? args[4] : System.getProperty("java.io.tmpdir"));
        final Path journal = Files.createTempDirectory(parent, "flowcast-load");
        final int videoBytes = Math.max(100, (int)((kbps * 1000L / 8 - AUDIO_BYTES * 43L) / 30));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)), new UnsafeBuffer(ByteBuffer.allocateDirect(8 * 1024)));
        final ServerRecording recording = on ? ServerRecording.start(new RecorderSettings(true, journal,
            List.of(StreamPattern.of("*")), "HOURLY", Duration.ZERO, RecorderSettings.DEFAULT_RING_BYTES), counters, 1) :
            null;
        final RecordingTap tap = on ? recording.tap() : null;
        for (int s = 0; on && s < streams; s++)
        {
            tap.onPublish(s, "live", "stream" + s);
        }
        final UnsafeBuffer video = new UnsafeBuffer(ByteBuffer.allocateDirect(videoBytes));
        final UnsafeBuffer audio = new UnsafeBuffer(ByteBuffer.allocateDirect(AUDIO_BYTES));
        final long[] nextVideo = new long[streams];
        final long[] nextAudio = new long[streams];
        final long start = System.nanoTime();
        for (int s = 0; s < streams; s++)
        {
            nextVideo[s] = start + VIDEO_INTERVAL_NS * s / streams;
            nextAudio[s] = start + AUDIO_INTERVAL_NS * s / streams;
        }
        final int capacity = (int)((seconds + 1L) * streams * 80);
        final long[] callNs = new long[capacity];
        int calls = 0;
        long bytes = 0;
        final long end = start + seconds * 1_000_000_000L;
        final long cpuProcessStart = os.getProcessCpuTime();
        final long cpuFeedStart = threads.getCurrentThreadCpuTime();
        final long recorderThread = on ? recorderThreadId() : -1;
        final long cpuRecorderStart = on ? threads.getThreadCpuTime(recorderThread) : 0;
        long now;
        while ((now = System.nanoTime()) < end)
        {
            long next = end;
            for (int s = 0; s < streams; s++)
            {
                if (now >= nextVideo[s])
                {
                    final int ts = (int)((nextVideo[s] - start) / 1_000_000L);
                    nextVideo[s] += VIDEO_INTERVAL_NS;
                    calls = feed(on, tap, s, 9, ts, video, callNs, calls);
                    bytes += videoBytes;
                }
                if (now >= nextAudio[s])
                {
                    final int ts = (int)((nextAudio[s] - start) / 1_000_000L);
                    nextAudio[s] += AUDIO_INTERVAL_NS;
                    calls = feed(on, tap, s, 8, ts, audio, callNs, calls);
                    bytes += AUDIO_BYTES;
                }
                next = Math.min(next, Math.min(nextVideo[s], nextAudio[s]));
            }
            final long wait = next - System.nanoTime();
            if (wait > 50_000)
            {
                LockSupport.parkNanos(wait - 50_000);
            }
        }
        final long wall = System.nanoTime() - start;
        final long cpuProcess = os.getProcessCpuTime() - cpuProcessStart;
        final long cpuFeed = threads.getCurrentThreadCpuTime() - cpuFeedStart;
        final long cpuRecorder = on ? threads.getThreadCpuTime(recorderThread) - cpuRecorderStart : 0;
        final long recorded = on ? recording.counters().recordedMessages().get() : 0;
        final long dropped = on ? recording.counters().droppedMessages().get() : 0;
        if (on)
        {
            recording.close();
        }
        IoUtil.delete(journal.toFile(), true);

        Arrays.sort(callNs, 0, calls);
        System.out.printf("recording %s: %d streams x %d kbit/s (%.1f MB/s, %,d messages in %.1f s), journal under %s%n",
            on ? "ON" : "OFF", streams, kbps, bytes / (wall / 1e9) / 1e6, calls, wall / 1e9, parent);
        System.out.printf("  CPU %% of one core: process %.1f, feeding thread %.1f, recorder thread %.1f%n",
            100.0 * cpuProcess / wall, 100.0 * cpuFeed / wall, 100.0 * cpuRecorder / wall);
        System.out.printf("  ns per onMessage call incl. one nanoTime: p50 %d p99 %d p99.9 %d max %d; " +
            "recorded %,d dropped %,d%n", callNs[calls / 2], callNs[(int)(calls * 0.99)],
            callNs[(int)(calls * 0.999)], callNs[calls - 1], recorded, dropped);
    }

    private static int feed(final boolean on, final RecordingTap tap, final int stream, final int type,
        final int timestamp, final UnsafeBuffer payload, final long[] callNs, final int calls)
    {
        final long t0 = System.nanoTime();
        if (on)
        {
            tap.onMessage(stream, type, timestamp, payload, 0, payload.capacity());
        }
        final long t = System.nanoTime() - t0;
        if (calls < callNs.length)
        {
            callNs[calls] = t;
            return calls + 1;
        }
        return calls;
    }

    private static long recorderThreadId()
    {
        for (final ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
        {
            if ("recorder".equals(info.getThreadName()))
            {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no recorder thread (AgentRunner names it after the agent role)");
    }

    private RecordingLoad()
    {
    }
}
