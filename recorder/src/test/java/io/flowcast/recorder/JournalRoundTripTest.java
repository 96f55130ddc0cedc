package io.flowcast.recorder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalRoundTripTest
{
    private static final long T0_NS = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    record Seen(String key, int type, long ts, long recvNs, byte[] payload, long index)
    {
    }

    static List<Seen> readAll(final JournalReader reader)
    {
        final List<Seen> seen = new ArrayList<>();
        while (reader.next(m ->
        {
            final byte[] payload = new byte[m.payloadLength()];
            m.buffer().getBytes(m.payloadOffset(), payload);
            seen.add(new Seen(m.streamKey().toString(), m.messageType(), m.mediaTimestamp(), m.receiveTimeNs(),
                payload, m.index()));
        }))
        {
            // all available
        }
        return seen;
    }

    @Test
    void everyFieldRoundTripsFromHeapAndDirectBuffers()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 200; i++)
            {
                final UnsafeBuffer buffer = (i & 1) == 0 ? heap : direct;
                final int length = 1 + i * 7;
                for (int b = 0; b < length; b++)
                {
                    buffer.putByte(3 + b, (byte)(i + b));
                }
                writer.append(i % 3 == 0 ? "live/a" : "telemetry/sensor-17", i % 2 == 0 ? 8 : 9,
                    0xFFFF_FF00L + i, T0_NS + i * 1_000_000L, buffer, 3, length);
            }
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            final List<Seen> seen = readAll(reader);
            assertThat(seen).hasSize(200);
            for (int i = 0; i < 200; i++)
            {
                final Seen s = seen.get(i);
                assertThat(s.key()).isEqualTo(i % 3 == 0 ? "live/a" : "telemetry/sensor-17");
                assertThat(s.type()).isEqualTo(i % 2 == 0 ? 8 : 9);
                assertThat(s.ts()).isEqualTo(0xFFFF_FF00L + i);
                assertThat(s.recvNs()).isEqualTo(T0_NS + i * 1_000_000L);
                assertThat(s.payload()).hasSize(1 + i * 7);
                for (int b = 0; b < s.payload().length; b++)
                {
                    assertThat(s.payload()[b]).isEqualTo((byte)(i + b));
                }
            }
            assertThat(reader.malformedRecords()).isZero();
        }
    }

    @Test
    void streamFilterSeekAndLiveFollow()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.append(i % 2 == 0 ? "live/a" : "live/b", 8, i, T0_NS + i * 1_000_000L, payload, 0, 10);
            }
            try (JournalReader reader = JournalReader.open(dir))
            {
                reader.streamFilter(StreamPattern.of("live/b"));
                final List<Seen> b = readAll(reader);
                assertThat(b).hasSize(50).allMatch(s -> s.key().equals("live/b"));

                reader.streamFilter(null).seek(T0_NS / 1_000_000L + 42);
                final List<Seen> fromSeek = readAll(reader);
                assertThat(fromSeek).hasSize(58);
                assertThat(fromSeek.get(0).ts()).isEqualTo(42);

                // live follow: nothing now, then the next append is found by the same reader
                assertThat(reader.next(m -> { })).isFalse();
                writer.append("live/c", 9, 1000, T0_NS + 1_000_000_000L, payload, 0, 5);
                final List<Seen> live = readAll(reader);
                assertThat(live).extracting(Seen::key).containsExactly("live/c");

                reader.seek(T0_NS / 1_000_000L + 10_000);
                assertThat(readAll(reader)).isEmpty();
                reader.seek(0);
                assertThat(readAll(reader)).hasSize(101);
            }
        }
    }

    @Test
    void readingIsZeroCopyAndAllocatesNothing()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 20_000; i++)
            {
                writer.append(i % 2 == 0 ? "live/a" : "live/b", 9, i, T0_NS + i, payload, 0, 1024);
            }
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long[] sum = {0};
        final JournalMessageHandler handler = m -> sum[0] += m.mediaTimestamp() + m.payloadLength() +
            m.buffer().getByte(m.payloadOffset()) + m.streamKey().charAt(5);
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.streamFilter(StreamPattern.of("live/*"));
            long fewest = Long.MAX_VALUE;
            long fewestAtEnd = Long.MAX_VALUE;
            for (int round = 0; round < 6; round++) // three warm-up passes, then the least of three measured
            {
                reader.toStart();
                int read = 0;
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 20_000; i++)
                {
                    read += reader.next(handler) ? 1 : 0;
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                final long beforeEnd = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 1_000; i++)
                {
                    read += reader.next(handler) ? 1 : 0;
                }
                final long allocatedAtEnd = threads.getCurrentThreadAllocatedBytes() - beforeEnd;
                assertThat(read).isEqualTo(20_000);
                if (round >= 3)
                {
                    fewest = Math.min(fewest, allocated);
                    fewestAtEnd = Math.min(fewestAtEnd, allocatedAtEnd);
                }
            }
            System.out.printf("recorder: reading 20,000 records allocated %,d bytes; 1,000 polls at the end %,d%n",
                fewest, fewestAtEnd);
            // one allocation per record would be at least 320,000 bytes; JIT settling leaves a few hundred at most
            assertThat(fewest).isLessThan(1024);
            assertThat(fewestAtEnd).isLessThan(1024);
        }
        assertThat(sum[0]).isPositive();
    }

    @Test
    void recordsThatAreNotValidAreSkippedAndCounted()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            writer.append("live/a", 8, 1, T0_NS, payload, 0, 10);
            try (ExcerptAppender raw = writer.queue().createAppender())
            {
                try (DocumentContext dc = raw.writingDocument())
                {
                    dc.wire().bytes().writeInt(0xDEADBEEF); // too short
                }
                try (DocumentContext dc = raw.writingDocument())
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    bytes.writeByte((byte)2).writeByte((byte)1).writeByte((byte)8).writeByte((byte)1); // version 2
                    bytes.writeInt(0).writeLong(0).writeInt(0).writeByte((byte)'k');
                }
                try (DocumentContext dc = raw.writingDocument())
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    bytes.writeByte((byte)1).writeByte((byte)1).writeByte((byte)8).writeByte((byte)1);
                    bytes.writeInt(0).writeLong(0).writeInt(1_000_000).writeByte((byte)'k'); // payload past the end
                }
                try (DocumentContext dc = raw.writingDocument())
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    bytes.writeByte((byte)1).writeByte((byte)1).writeByte((byte)8).writeByte((byte)0); // empty key
                    bytes.writeInt(0).writeLong(0).writeInt(0);
                }
            }
            writer.append("live/a", 8, 2, T0_NS, payload, 0, 10);
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(readAll(reader)).extracting(Seen::ts).containsExactly(1L, 2L);
            assertThat(reader.malformedRecords()).isEqualTo(4);
        }
    }

    @Test
    void missingDirectoryAndNotAJournalAreClearErrors() throws Exception
    {
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("nope")))
            .isInstanceOf(JournalException.class).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> JournalReader.open(dir))
            .isInstanceOf(JournalException.class).hasMessageContaining("is not a journal");
        assertThatThrownBy(() -> JournalReader.open(dir.resolve("notes.txt")))
            .isInstanceOf(JournalException.class).hasMessageContaining("is not a directory");
    }
}
