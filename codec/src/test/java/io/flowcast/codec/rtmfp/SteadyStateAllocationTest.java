package io.flowcast.codec.rtmfp;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding every golden datagram completely, and assembling a data packet, allocate nothing once warm
 * (measured with the thread's allocation counter, not timed).
 */
class SteadyStateAllocationTest
{
    @Test
    void decodeAndEncodeAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        final List<UnsafeBuffer> packets = new ArrayList<>();
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            packets.add(new UnsafeBuffer(GoldenSession.hex(datagram.get("plain_hex").asText())));
        }
        final UnsafeBuffer[] array = packets.toArray(new UnsafeBuffer[0]);
        final PacketVisitor visitor = new PacketVisitor();
        final PacketAssembler assembler = new PacketAssembler();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1500]);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[1200]);
        final long[] ranges = { 10, 12, 20, 20 };

        long sum = run(array, visitor, assembler, out, data, ranges, 200);
        final long thread = Thread.currentThread().getId();
        final long[] allocated = new long[5];
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            sum += run(array, visitor, assembler, out, data, ranges, 100);
            allocated[round] = threads.getThreadAllocatedBytes(thread) - before;
        }

        assertThat(sum).isNotZero();
        // a one-off (a late class initialisation or constant resolution in the JVM) may show in one round; an
        // allocation per packet would show in every round as at least 41,000 bytes
        assertThat(allocated).as("bytes allocated per round of 100 x 410 decodes and encodes: %s",
            java.util.Arrays.toString(allocated))
            .contains(0L);
        assertThat(java.util.Arrays.stream(allocated).max().getAsLong()).isLessThan(1024);
    }

    private static long run(
        final UnsafeBuffer[] packets,
        final PacketVisitor visitor,
        final PacketAssembler assembler,
        final UnsafeBuffer out,
        final UnsafeBuffer data,
        final long[] ranges,
        final int rounds)
    {
        long sum = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (final UnsafeBuffer packet : packets)
            {
                sum += visitor.visit(packet, 0, packet.capacity());
                assembler.wrap(out, 0, 1200);
                assembler.begin(PacketDecoder.MODE_RESPONDER, true, false, r, -1);
                assembler.appendDataAckRanges(2, 64, 8, ranges, 2);
                for (int i = 0; i < 8; i++)
                {
                    sum += assembler.appendUserData(0x30, 3, 100 + i, 1 + i, null, 0, 0, -1, data, 0, 100);
                }
                sum += assembler.finish();
            }
        }
        return sum;
    }
}
