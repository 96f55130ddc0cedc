package io.flowcast.recorder;

import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's example of reading a journal from another program, compiled and run: a tailer over the directory,
 * following new appends, with the typed zero-copy view (app, name, type, media timestamp, receive time, payload).
 */
class JournalApiExampleTest
{
    @TempDir
    Path dir;

    @Test
    void readmeExampleFollowsAJournalWithTheTypedView()
    {
        final UnsafeBuffer data = new UnsafeBuffer(new byte[64]);
        final List<String> lines = new ArrayList<>();
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            data.putStringWithoutLengthAscii(0, "first");
            writer.append("live/cam1", 9, 40, 1_700_000_000_000_000_000L, data, 0, 5);
            writer.append("other/x", 8, 0, 1_700_000_000_001_000_000L, data, 0, 5);

            // --- README example begins
            try (JournalReader reader = JournalReader.open(dir))
            {
                reader.streamFilter(StreamPattern.of("live/*")).toStart(); // or seek(epochMs), or toEnd()
                final JournalMessageHandler handler = message ->
                {
                    // a view in place in the mapped file, valid during this call: copy what must outlive it
                    final DirectBuffer payload = message.payload();
                    lines.add(message.app() + " " + message.name() + " type " + message.messageType() +
                        " ts " + message.mediaTimestamp() + " received " + message.receiveTimeNs() + " ns " +
                        payload.getStringWithoutLengthAscii(0, payload.capacity()));
                };
                for (int polls = 0; polls < 3; polls++) // a real follower loops until stopped, idling on 0
                {
                    reader.poll(handler, 100);
                    // --- README example ends
                    if (polls == 0)
                    {
                        data.putStringWithoutLengthAscii(0, "later");
                        writer.append("live/cam1", 9, 80, 1_700_000_000_002_000_000L, data, 0, 5);
                    }
                }
            }
        }
        assertThat(lines).containsExactly(
            "live cam1 type 9 ts 40 received 1700000000000000000 ns first",
            "live cam1 type 9 ts 80 received 1700000000002000000 ns later");
    }
}
