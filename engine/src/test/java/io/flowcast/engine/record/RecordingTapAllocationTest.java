package io.flowcast.engine.record;

import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordingTap#onMessage} allocates nothing in steady state, recorded or not, whether the ring has room or
 * is full (the recorder agent runs on its own thread; only the calling thread's allocations are measured).
 */
class RecordingTapAllocationTest
{
    private static final int ROUNDS = 5;
    private static final int MESSAGES_PER_ROUND = 100_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void onMessageAllocatesNothingInSteadyState()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final RecorderSettings settings = new RecorderSettings(
            true, dir.resolve("journal"), List.of(StreamPattern.of("live/*")), "HOURLY", Duration.ZERO, 1024 * 1024);
        try (ServerRecording recording = ServerRecording.start(settings, RecordingTapExportTest.counters(), 1))
        {
            final RecordingTap tap = recording.tap();
            tap.onPublish(1, "live", "cam");
            tap.onPublish(2, "vod", "not-recorded");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            final long[] allocated = new long[ROUNDS];
            for (int round = -1; round < ROUNDS; round++) // round -1 warms up
            {
                final long before = threads.getThreadAllocatedBytes(thread);
                for (int i = 0; i < MESSAGES_PER_ROUND; i++)
                {
                    payload.putInt(0, i);
                    tap.onMessage(1, (i & 1) == 0 ? 8 : 9, i, payload, 0, payload.capacity());
                    tap.onMessage(2, 9, i, payload, 0, payload.capacity());
                }
                final long after = threads.getThreadAllocatedBytes(thread);
                if (round >= 0)
                {
                    allocated[round] = after - before;
                }
            }
            System.out.printf("RecordingTap.onMessage: bytes allocated per round of %,d messages %s; recorded %,d, " +
                "dropped (ring full) %,d%n", 2 * MESSAGES_PER_ROUND, Arrays.toString(allocated),
                recording.counters().recordedMessages().get(), recording.counters().droppedMessages().get());
            assertThat(Arrays.stream(allocated).min().getAsLong()).isZero();
            assertThat(Arrays.stream(allocated).max().getAsLong()).as("nothing per message").isLessThan(4096);
        }
    }
}
