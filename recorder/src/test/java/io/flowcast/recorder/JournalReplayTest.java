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
}
