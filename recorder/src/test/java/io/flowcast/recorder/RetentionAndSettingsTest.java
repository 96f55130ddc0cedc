package io.flowcast.recorder;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionAndSettingsTest
{
    private static final long HOUR_MS = 3_600_000L;
    private static final long T0_MS = 1_700_000_000_000L / HOUR_MS * HOUR_MS;

    @TempDir
    Path dir;

    private long rollFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void rollingDeletesCyclesOlderThanTheRetention() throws IOException
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(T0_MS));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        try (JournalWriter writer = new JournalWriter(
            SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(clock).build(), 2))
        {
            for (int hour = 0; hour < 5; hour++)
            {
                clock.currentTimeMillis(T0_MS + hour * HOUR_MS + 1000);
                for (int i = 0; i < 3; i++)
                {
                    payload.putInt(0, hour);
                    writer.append("live/r", 8, i, (T0_MS + hour * HOUR_MS) * 1_000_000L, payload, 0, 8);
                }
            }
            assertThat(writer.deletedFiles()).isEqualTo(3);
            assertThat(rollFiles()).isEqualTo(2);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<Integer> hours = new ArrayList<>();
            while (reader.next(m -> hours.add(m.buffer().getInt(m.payloadOffset()))))
            {
                // all
            }
            assertThat(hours).containsExactly(3, 3, 3, 4, 4, 4);
        }
    }

    @Test
    void aReaderFollowingTheJournalCrossesIntoNewRollFiles()
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(T0_MS));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        try (JournalWriter writer = new JournalWriter(
            SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).timeProvider(clock).build(), 0))
        {
            writer.append("live/r", 8, 0, T0_MS * 1_000_000L, payload, 0, 8);
            try (JournalReader reader = JournalReader.open(dir))
            {
                final List<Long> seen = new ArrayList<>();
                assertThat(reader.poll(m -> seen.add(m.mediaTimestamp()), 10)).isEqualTo(1);
                assertThat(reader.poll(m -> seen.add(m.mediaTimestamp()), 10)).isZero();
                for (int hour = 1; hour <= 2; hour++)
                {
                    clock.currentTimeMillis(T0_MS + hour * HOUR_MS + 1);
                    writer.append("live/r", 8, hour, (T0_MS + hour * HOUR_MS) * 1_000_000L, payload, 0, 8);
                }
                long found = 0;
                for (int i = 0; i < 100 && found < 2; i++)
                {
                    found += reader.poll(m -> seen.add(m.mediaTimestamp()), 10);
                }
                assertThat(seen).containsExactly(0L, 1L, 2L);
            }
        }
    }

    @Test
    void settingsMapNamesAndRetentionToCycles()
    {
        assertThat(RecorderSettings.disabled().enabled()).isFalse();
        assertThat(RecorderSettings.disabled().records("live/x")).isFalse();
        final RecorderSettings all = RecorderSettings.recordAll(dir);
        assertThat(all.records("live/x")).isTrue();
        assertThat(all.chronicleRollCycle()).isEqualTo(RollCycles.FAST_HOURLY);
        assertThat(RecorderSettings.rollCycle("daily")).isEqualTo(RollCycles.FAST_DAILY);
        assertThat(RecorderSettings.rollCycle("five-minutely")).isEqualTo(RollCycles.FIVE_MINUTELY);
        assertThatThrownBy(() -> RecorderSettings.rollCycle("fortnightly"))
            .hasMessageContaining("fortnightly").hasMessageContaining("HOURLY");
        final RecorderSettings week = new RecorderSettings(
            true, dir, List.of(StreamPattern.of("live/*")), "DAILY", Duration.ofDays(7).plusHours(1), 1 << 20);
        assertThat(week.retentionCycles()).isEqualTo(8);
        assertThat(week.records("live/cam")).isTrue();
        assertThat(week.records("vod/cam")).isFalse();
        assertThat(all.retentionCycles()).isZero();
        assertThatThrownBy(() -> new RecorderSettings(true, dir, List.of(), "HOURLY", Duration.ZERO, 1000))
            .hasMessageContaining("ring-size");
        assertThatThrownBy(() -> new RecorderSettings(true, null, List.of(), "HOURLY", Duration.ZERO, 1 << 20))
            .hasMessageContaining("recorder.directory");
    }

    @Test
    void globPatterns()
    {
        assertThat(StreamPattern.of("*").matches("a/b")).isTrue();
        assertThat(StreamPattern.of("live/*").matches("live/cam1")).isTrue();
        assertThat(StreamPattern.of("live/*").matches("live/")).isTrue();
        assertThat(StreamPattern.of("live/*").matches("live/a/b")).isFalse();
        assertThat(StreamPattern.of("live/**").matches("live/a/b")).isTrue();
        assertThat(StreamPattern.of("live/*").matches("vod/cam1")).isFalse();
        assertThat(StreamPattern.of("*/cam?").matches("live/cam1")).isTrue();
        assertThat(StreamPattern.of("*/cam?").matches("live/cam12")).isFalse();
        assertThat(StreamPattern.of("live/cam").matches("live/cam")).isTrue();
        assertThat(StreamPattern.of("live/cam").matches("live/cams")).isFalse();
        assertThat(StreamPattern.of("*-hd").matches("live/x-hd")).isFalse();
        assertThat(StreamPattern.of("*/*-hd").matches("live/x-hd")).isTrue();
        assertThatThrownBy(() -> StreamPattern.of(" ")).hasMessageContaining("empty");
    }
}
