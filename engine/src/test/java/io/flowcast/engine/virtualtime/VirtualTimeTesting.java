package io.flowcast.engine.virtualtime;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * Constants and helpers shared by the virtual-time tests.
 */
final class VirtualTimeTesting
{
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    private VirtualTimeTesting()
    {
    }

    /**
     * @return {@code length} random bytes (at least 8) starting with {@code index} (little-endian long).
     */
    static byte[] message(final long index, final int length, final SplittableRandom random)
    {
        final byte[] bytes = new byte[Math.max(8, length)];
        random.nextBytes(bytes);
        new UnsafeBuffer(bytes).putLong(0, index);
        return bytes;
    }
}
