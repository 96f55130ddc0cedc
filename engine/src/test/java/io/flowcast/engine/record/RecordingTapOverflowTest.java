package io.flowcast.engine.record;

import io.flowcast.engine.status.CountersFile;
import io.flowcast.recorder.JournalReader;
import io.flowcast.recorder.Recorder;
import io.flowcast.recorder.RecorderCounters;
import io.flowcast.recorder.RecorderSettings;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorder that has stalled (its agent not running) behind the smallest ring: the tap keeps returning at once,
 * the messages that do not fit are counted as dropped in the counters file {@code flowcast stat} reads, and once
 * the agent runs again everything that was accepted is in the journal, in order.
 */
class RecordingTapOverflowTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fullRingDropsAndCountsWithoutBlockingTheCaller() throws IOException
    {
        final Path journal = dir.resolve("journal");
        final RecorderSettings base = RecorderSettings.recordAll(journal);
        final RecorderSettings settings = new RecorderSettings(
            true, journal, base.patterns(), base.rollCycle(), base.retention(), 64 * 1024);
        try (CountersFile countersFile = CountersFile.create(dir.resolve("counters"), 64))
        {
            final Recorder recorder = Recorder.create(settings, RecorderCounters.allocate(countersFile.manager()));
            final RecordingTap tap = new RecordingTap(recorder.publisher(), new RecordedStreams(recorder.publisher()));
            tap.onPublish(0, "live", "cam");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[1000]);
            final int messages = 10_000; // 10 MB into a 64 KiB ring that nobody drains
            long slowestNs = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < messages; i++)
            {
                payload.putInt(0, i);
                final long t0 = System.nanoTime();
                tap.onMessage(0, 9, i, payload, 0, payload.capacity());
                slowestNs = Math.max(slowestNs, System.nanoTime() - t0);
            }
            final long totalNs = System.nanoTime() - start;
            System.out.printf("overflow: %,d offers in %.1f ms, slowest %.1f us, dropped %,d%n",
                messages, totalNs / 1e6, slowestNs / 1e3, tap.droppedMessages());
            // no timing assert beyond "returned": a blocked offer would never return and the timeout would fail
            final long dropped = tap.droppedMessages();
            assertThat(dropped).isGreaterThan(messages - 100).isLessThan(messages);

            final Map<String, Long> stat = new HashMap<>();
            try (CountersFile reader = CountersFile.openReadOnly(dir.resolve("counters")))
            {
                reader.reader().forEach((value, id, label) -> stat.put(label, value));
            }
            assertThat(stat).containsEntry("recorder: messages dropped (ring full)", dropped);

            // the recorder catches up: what was accepted is appended, in order, and recording carries on
            while (recorder.agent().doWork() > 0)
            {
                // drain
            }
            payload.putInt(0, messages);
            tap.onMessage(0, 9, messages, payload, 0, payload.capacity());
            recorder.agent().doWork();
            recorder.agent().onClose();
            final long accepted = messages - dropped + 1;
            assertThat(recorder.counters().recordedMessages().get()).isEqualTo(accepted);
            final long[] read = {0, -1};
            try (JournalReader reader = JournalReader.open(journal))
            {
                while (reader.next(m ->
                {
                    final int n = m.payload().getInt(0);
                    assertThat(n).isGreaterThan((int)read[1]);
                    read[1] = n;
                    read[0]++;
                }))
                {
                    // read all
                }
            }
            assertThat(read[0]).isEqualTo(accepted);
            assertThat(read[1]).isEqualTo(messages);
        }
    }
}
