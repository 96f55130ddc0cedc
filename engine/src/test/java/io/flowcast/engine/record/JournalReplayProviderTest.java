package io.flowcast.engine.record;

import io.flowcast.recorder.JournalIndex;
import io.flowcast.recorder.JournalWriter;
import io.flowcast.recorder.RecorderSettings;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JournalReplayProvider} against a fake media server: {@code NAME@start} replays a recording with its
 * pacing (the timing error is measured and printed, only loosely asserted), {@code NAME@<epoch-ms>} starts
 * mid-stream decodable, a replay started during a live recording follows it to its end, the limit holds.
 */
@Tag("slow")
class JournalReplayProviderTest
{
    static final long MS = 1_000_000L;
    static final long T0_MS = 1_763_784_000_000L;
    static final byte[] METADATA = {0x02, 0x00, 0x0A, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x08};

    @TempDir
    Path dir;

    /** Message i of the test stream: 0 metadata, 1 AVC and 2 AAC sequence headers, then 20 ms of audio or video. */
    static byte[] payload(final int i)
    {
        if (i == 0)
        {
            return METADATA;
        }
        final byte[] p = new byte[40 + i % 50];
        if (i == 1)
        {
            p[0] = 0x17; // key frame, AVC
            p[1] = 0;    // sequence header
        }
        else if (i == 2)
        {
            p[0] = (byte)0xAF; // AAC
            p[1] = 0;          // sequence header
        }
        else if (i % 2 == 1)
        {
            p[0] = (byte)(i % 20 == 3 ? 0x17 : 0x27); // a key frame every 10 video frames
            p[1] = 1;
        }
        else
        {
            p[0] = (byte)0xAF;
            p[1] = 1;
        }
        p[p.length - 1] = (byte)i;
        return p;
    }

    static int type(final int i)
    {
        return i == 0 ? 18 : i == 2 || (i > 2 && i % 2 == 0) ? 8 : 9;
    }

    static int timestamp(final int i)
    {
        return i < 3 ? 0 : (i - 3) * 20;
    }

    void recordDirectly(final Path journal, final int messages)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        try (JournalWriter writer = new JournalWriter(journal, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < messages; i++)
            {
                final byte[] p = payload(i);
                buffer.putBytes(0, p);
                writer.append("live/cam", type(i), timestamp(i), (T0_MS + i) * MS, buffer, 0, p.length);
                writer.append("live/other", 9, i, (T0_MS + i) * MS, buffer, 0, p.length);
            }
        }
    }

    static void assertMessage(final FakeMediaServer.Message m, final int i)
    {
        assertThat(m.type()).as("type of %d", i).isEqualTo(type(i));
        assertThat(m.timestamp()).as("timestamp of %d", i).isEqualTo(timestamp(i));
        assertThat(m.payload()).as("payload of %d", i).isEqualTo(payload(i));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void vodReplayReproducesTheMessagesWithTheirPacing()
    {
        final int messages = 153; // 3 s of media
        final Path journal = dir.resolve("journal");
        recordDirectly(journal, messages);
        final FakeMediaServer server = new FakeMediaServer();
        final JournalReplayProvider provider = JournalReplayProvider.forJournal(journal, 4);
        assertThat(provider.onPlayUnknown("live", "cam@start", server)).isTrue();
        final FakeMediaServer.FakePublication publication = server.published.get("live/cam@start");
        assertThat(publication).isNotNull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!publication.closed && System.nanoTime() < deadline)
        {
            if (provider.doWork(System.nanoTime()) == 0)
            {
                Thread.onSpinWait();
            }
        }
        assertThat(publication.closed).as("closed at the end of the recording").isTrue();
        assertThat(provider.activeReplays()).isZero();
        assertThat(publication.messages).hasSize(messages);
        for (int i = 0; i < messages; i++)
        {
            assertMessage(publication.messages.get(i), i);
        }
        final long first = publication.messages.get(0).nanoTime();
        final double[] errorsMs = new double[messages];
        for (int i = 0; i < messages; i++)
        {
            final long elapsed = publication.messages.get(i).nanoTime() - first;
            errorsMs[i] = (elapsed - timestamp(i) * MS) / 1e6;
        }
        Arrays.sort(errorsMs);
        System.out.printf("replay pacing error (ms, arrival - media time, %d messages over %d ms): p50 %.3f p90 %.3f " +
            "p99 %.3f max %.3f min %.3f%n", messages, timestamp(messages - 1), errorsMs[messages / 2],
            errorsMs[messages * 9 / 10], errorsMs[messages * 99 / 100], errorsMs[messages - 1], errorsMs[0]);
        // loose: never a whole second off the original timing, even on a loaded machine
        assertThat(errorsMs[0]).isGreaterThan(-1_000);
        assertThat(errorsMs[messages - 1]).isLessThan(1_000);
        provider.close();
    }

    @Test
    void replayFromATimeStartsDecodableAtThatMessage()
    {
        final Path journal = dir.resolve("journal");
        recordDirectly(journal, 100);
        final FakeMediaServer server = new FakeMediaServer();
        final JournalReplayProvider provider = JournalReplayProvider.forJournal(journal, 4);
        final int from = 40; // audio; the next video (41) is not a key frame, 43 is
        assertThat(provider.onPlayUnknown("live", "cam@" + (T0_MS + from), server)).isTrue();
        final FakeMediaServer.FakePublication publication = server.published.get("live/cam@" + (T0_MS + from));
        long now = 0;
        for (int i = 0; i < 1_000 && !publication.closed; i++)
        {
            provider.doWork(now += 10 * MS); // a fast clock: pacing is not under test here
        }
        assertThat(publication.closed).isTrue();
        final List<FakeMediaServer.Message> got = publication.messages;
        // the configuration passed over comes first, at the first message's timestamp
        assertThat(got.get(0).payload()).isEqualTo(payload(0));
        assertThat(got.get(1).payload()).isEqualTo(payload(1));
        assertThat(got.get(2).payload()).isEqualTo(payload(2));
        assertThat(got.subList(0, 3)).allMatch(m -> m.timestamp() == timestamp(from));
        final List<Integer> expected = new ArrayList<>();
        for (int i = from; i < 100; i++)
        {
            if (type(i) == 8 || i >= 43)
            {
                expected.add(i);
            }
        }
        assertThat(got).hasSize(3 + expected.size());
        for (int k = 0; k < expected.size(); k++)
        {
            assertMessage(got.get(3 + k), expected.get(k));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void replayDuringALiveRecordingCatchesUpAndEndsWithIt() throws InterruptedException
    {
        final Path journal = dir.resolve("journal");
        try (ServerRecording recording = ServerRecording.start(
            RecorderSettings.recordAll(journal), RecordingTapExportTest.counters(), 2))
        {
            final FakeMediaServer server = new FakeMediaServer(recording.tap());
            final JournalReplayProvider provider = recording.replayProvider();
            assertThat(provider.onPlayUnknown("live", "cam@start", server)).as("no journal yet").isFalse();

            final FakeMediaServer.FakePublication live = server.publish("live", "cam");
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
            long fromMs = 0;
            for (int i = 0; i < 100; i++)
            {
                if (i == 50)
                {
                    Thread.sleep(5);
                    fromMs = System.currentTimeMillis();
                    Thread.sleep(5);
                }
                final byte[] p = payload(i);
                buffer.putBytes(0, p);
                live.onMessage(type(i), timestamp(i), buffer, 0, p.length);
            }
            awaitRecorded(recording, 100);

            final String name = "cam@" + fromMs;
            assertThat(provider.onPlayUnknown("live", name, server)).isTrue();
            final FakeMediaServer.FakePublication replay = server.published.get("live/" + name);
            long now = 0;
            for (int i = 100; i < 200; i++) // live goes on while the replay plays
            {
                provider.doWork(now += 10 * MS);
                final byte[] p = payload(i);
                buffer.putBytes(0, p);
                live.onMessage(type(i), timestamp(i), buffer, 0, p.length);
            }
            assertThat(replay.closed).as("the recording is still going on").isFalse();
            live.close();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!replay.closed && System.nanoTime() < deadline)
            {
                provider.doWork(now += 10 * MS);
                Thread.sleep(1);
            }
            assertThat(replay.closed).as("ended with the recording").isTrue();
            // 50..199, started at an audio message: video from the first key frame (63), no configuration was
            // passed over in between that is not also carried (0, 1, 2 come first)
            final List<FakeMediaServer.Message> got = replay.messages;
            assertThat(got.get(0).payload()).isEqualTo(payload(0));
            int k = 3;
            for (int i = 50; i < 200; i++)
            {
                if (type(i) == 8 || i >= 63)
                {
                    assertMessage(got.get(k++), i);
                }
            }
            assertThat(got).hasSize(k);
            assertThat(recording.counters().droppedMessages().get()).isZero();
            provider.close();
        }
        final JournalIndex index = JournalIndex.scan(journal);
        assertThat(index.streams()).extracting(JournalIndex.StreamSummary::key)
            .as("the replay itself is not recorded").containsExactly("live/cam");
        assertThat(index.stream("live/cam").messages()).isEqualTo(200);
    }

    static void awaitRecorded(final ServerRecording recording, final long messages) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (recording.counters().recordedMessages().get() < messages && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertThat(recording.counters().recordedMessages().get()).isEqualTo(messages);
    }

    @Test
    void namesLimitsAndUnknownJournals()
    {
        assertThat(JournalReplayProvider.startTimeMs("cam@1763784000000")).isEqualTo(1_763_784_000_000L);
        assertThat(JournalReplayProvider.startTimeMs("cam@start")).isEqualTo(Long.MIN_VALUE);
        assertThat(JournalReplayProvider.startTimeMs("cam@START")).isEqualTo(Long.MIN_VALUE);
        assertThat(JournalReplayProvider.startTimeMs("cam@0")).isEqualTo(Long.MIN_VALUE);
        assertThat(JournalReplayProvider.startTimeMs("a@b@12")).isEqualTo(12);
        for (final String bad : List.of("cam", "cam@", "@12", "cam@12x", "cam@-5", "cam@starting", "cam@1234567890123456"))
        {
            assertThat(JournalReplayProvider.startTimeMs(bad)).as(bad).isEqualTo(-1);
        }

        final Path journal = dir.resolve("journal");
        final FakeMediaServer server = new FakeMediaServer();
        assertThat(JournalReplayProvider.forJournal(dir.resolve("missing"), 1).onPlayUnknown("live", "cam@0", server))
            .isFalse();
        recordDirectly(journal, 10);
        final JournalReplayProvider provider = JournalReplayProvider.forJournal(journal, 1);
        assertThat(provider.onPlayUnknown("live", "cam", server)).isFalse();
        assertThat(provider.onPlayUnknown("live", "cam@0", server)).isTrue();
        assertThat(provider.onPlayUnknown("live", "cam@start", server)).as("one replay at most").isFalse();
        assertThat(provider.refusedReplays()).isEqualTo(1);
        provider.close();
        assertThat(server.published.get("live/cam@0")).as("closed with the provider").isNull();

        final JournalReplayProvider other = JournalReplayProvider.forJournal(journal, 2);
        server.publish("live", "cam@start");
        assertThat(other.onPlayUnknown("live", "cam@start", server)).as("name taken").isFalse();
        assertThat(other.activeReplays()).isZero();
        other.close();
    }

    @Test
    void aReplayWithoutPlayersEndsAfterTheTimeout()
    {
        final Path journal = dir.resolve("journal");
        recordDirectly(journal, 10);
        final FakeMediaServer server = new FakeMediaServer();
        final RecordedStreams streams = new RecordedStreams(null);
        streams.recordingStarted("live/cam"); // still being recorded: the replay waits for more
        final JournalReplayProvider provider = new JournalReplayProvider(journal, streams, 1);
        assertThat(provider.onPlayUnknown("live", "cam@" + (T0_MS + 5_000), server)).isTrue(); // after the end
        final FakeMediaServer.FakePublication replay = server.published.get("live/cam@" + (T0_MS + 5_000));
        replay.players = false;
        provider.doWork(0);
        provider.doWork(JournalReplayProvider.NO_PLAYER_TIMEOUT_NS);
        assertThat(replay.closed).as("at the timeout, not before").isFalse();
        provider.doWork(JournalReplayProvider.NO_PLAYER_TIMEOUT_NS + 1);
        assertThat(replay.closed).isTrue();
        assertThat(replay.messages).isEmpty();
        provider.close();
    }
}
