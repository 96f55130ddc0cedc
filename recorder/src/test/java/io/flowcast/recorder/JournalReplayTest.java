package io.flowcast.recorder;

import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay pacing against a controlled clock (no wall-clock timing): each message is due when as much time has
 * passed since the replay began as media time since its first message.
 */
class JournalReplayTest
{
    private static final long MS = 1_000_000L;
    private static final long T0_NS = 1_700_000_000_000L * MS;

    @TempDir
    Path dir;

    @Test
    void deliversEachMessageWhenItsMediaTimeIsDueAndFollowsLiveAppends()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 10; i++)
            {
                // 40 ms video with a 0xFFFFFFF0 start to cross the u32 wrap, another stream in between
                writer.append("live/cam", 9, (0xFFFF_FFF0L + i * 40L) & 0xFFFF_FFFFL, T0_NS + i * 40 * MS,
                    payload, 0, 16);
                writer.append("live/other", 9, i, T0_NS + i * 40 * MS, payload, 0, 16);
            }
            try (JournalReader reader = JournalReader.open(dir))
            {
                final JournalReplay replay = new JournalReplay(reader.toStart(), "live/cam");
                final List<Long> seen = new ArrayList<>();
                final JournalMessageHandler collect = m -> seen.add(m.mediaTimestamp());
                final long start = 5_000 * MS;

                assertThat(replay.poll(start, collect, 100)).isEqualTo(1);
                assertThat(replay.poll(start + 39 * MS, collect, 100)).isZero();
                assertThat(replay.poll(start + 40 * MS, collect, 100)).isEqualTo(1);
                assertThat(replay.poll(start + 125 * MS, collect, 100)).isEqualTo(2);
                assertThat(replay.poll(start + 1_000 * MS, collect, 3)).isEqualTo(3); // the limit holds
                assertThat(replay.poll(start + 1_000 * MS, collect, 100)).isEqualTo(3);
                assertThat(seen).hasSize(10);
                assertThat(seen.get(0)).isEqualTo(0xFFFF_FFF0L);
                assertThat(seen.get(1)).isEqualTo(0x18L);

                // caught up with a stream still being recorded: later appends come when due
                assertThat(replay.poll(start + 2_000 * MS, collect, 100)).isZero();
                writer.append("live/cam", 9, (0xFFFF_FFF0L + 50 * 40L) & 0xFFFF_FFFFL, T0_NS, payload, 0, 16);
                assertThat(replay.poll(start + 1_999 * MS, collect, 100)).isZero();
                assertThat(replay.poll(start + 2_000 * MS, collect, 100)).isEqualTo(1);
                assertThat(replay.delivered()).isEqualTo(11);
                assertThat(replay.startNs()).isEqualTo(start);
            }
        }
    }

    @Test
    void startTimePassesOverEarlierRecordsAndRecordLimitBoundsOnePoll()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 10; i++)
            {
                writer.append("live/cam", 9, 1000 + i * 40L, T0_NS + i * 40 * MS, payload, 0, 16);
                for (int j = 0; j < 5; j++)
                {
                    writer.append("live/other", 9, i, T0_NS + i * 40 * MS, payload, 0, 16);
                }
            }
            // published again: media time restarts at 0
            writer.append("live/cam", 9, 0, T0_NS + 500 * MS, payload, 0, 16);
            try (JournalReader reader = JournalReader.open(dir))
            {
                final List<Long> passedOver = new ArrayList<>();
                final List<Long> seen = new ArrayList<>();
                final JournalReplay replay = new JournalReplay(
                    reader.toCycleOf(T0_NS / MS + 200), "live/cam", T0_NS + 200 * MS)
                    .passedOverHandler(m -> passedOver.add(m.mediaTimestamp()));
                final long start = 5_000 * MS;
                // 7 records per poll: the first poll cannot even reach the start time
                assertThat(replay.poll(start, m -> seen.add(m.mediaTimestamp()), 100, 7)).isZero();
                assertThat(replay.caughtUp()).isFalse();
                while (replay.poll(start, m -> seen.add(m.mediaTimestamp()), 100, 7) == 0 && !replay.caughtUp())
                {
                    // pass over the rest before the start time, bounded per poll
                }
                assertThat(passedOver).containsExactly(1000L, 1040L, 1080L, 1120L, 1160L);
                assertThat(seen).containsExactly(1200L);
                assertThat(replay.startNs()).isEqualTo(start);
                replay.poll(start + 160 * MS, m -> seen.add(m.mediaTimestamp()), 100, 1_000);
                assertThat(seen).containsExactly(1200L, 1240L, 1280L, 1320L, 1360L, 0L); // 0: restarts the pacing
                assertThat(replay.caughtUp()).isTrue();
            }
        }
    }
}
