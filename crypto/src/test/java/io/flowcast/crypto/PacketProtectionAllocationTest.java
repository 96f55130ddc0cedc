package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady-state encrypt and decrypt allocate nothing (allocation is asserted, never time).
 */
class PacketProtectionAllocationTest
{
    private static final int PACKET = 1200;
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 2_000;

    @Test
    void hmacWithSequenceNumbersAllocatesNothing()
    {
        final DirectionKeys keys = new DirectionKeys(hex("3b10e5726a799e70c3b22dc3de6ffac4"),
            hex("dad0d581b5363bb4367a522322b3ddfa3cce51925e1c9ed767113d8701f2ddec"), 16, true);
        assertSteadyStateAllocatesNothing(keys, false);
        assertSteadyStateAllocatesNothing(keys, true);
    }

    @Test
    void checksumFramingAllocatesNothing()
    {
        assertSteadyStateAllocatesNothing(DirectionKeys.DEFAULT, false);
        assertSteadyStateAllocatesNothing(DirectionKeys.DEFAULT, true);
    }

    private static void assertSteadyStateAllocatesNothing(final DirectionKeys keys, final boolean direct)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PacketProtection sender = new PacketProtection(keys, keys);
        final PacketProtection receiver = new PacketProtection(keys, keys);
        final int capacity = PACKET + PacketProtection.MAX_OVERHEAD + 8;
        final UnsafeBuffer buffer = direct ?
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity)) : new UnsafeBuffer(new byte[capacity]);

        long checksum = roundTrips(sender, receiver, buffer, WARM_UP);
        final long thread = Thread.currentThread().getId();
        // a per-packet allocation shows in every round (>= 16 B x 2,000); a one-off of the JIT (a deoptimisation
        // boxing a value, seen once: 72 B) does not, so the quietest of up to five rounds must be zero
        final java.util.List<Long> rounds = new java.util.ArrayList<>();
        for (int round = 0; round < 5 && (rounds.isEmpty() || rounds.get(rounds.size() - 1) > 0); round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            checksum += roundTrips(sender, receiver, buffer, MEASURED);
            rounds.add(threads.getThreadAllocatedBytes(thread) - before);
        }

        assertThat(checksum).isEqualTo((long)WARM_UP * PACKET + (long)rounds.size() * MEASURED * PACKET);
        assertThat(java.util.Collections.min(rounds))
            .as("bytes allocated by %d round trips (direct=%s), rounds %s", MEASURED, direct, rounds).isZero();
    }

    private static long roundTrips(
        final PacketProtection sender, final PacketProtection receiver, final UnsafeBuffer buffer, final int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            buffer.setMemory(sender.packetOffset(0), PACKET, (byte)i);
            final int length = sender.encrypt(buffer, 0, PACKET);
            Multiplex.scramble(buffer, 0, length, 0x02000000);
            final int packet = receiver.decrypt(buffer, 0, length);
            if (packet < PACKET)
            {
                throw new AssertionError(PacketProtection.reasonName(packet));
            }
            total += PACKET;
        }
        return total;
    }
}
