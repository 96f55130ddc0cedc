package io.flowcast.codec.amf;

import java.lang.management.ManagementFactory;

/**
 * Test helper: bytes allocated by the current thread while running a task (after one warm-up run).
 */
public final class Allocations
{
    private Allocations()
    {
    }

    /**
     * @param task to measure; run twice, the first run warms up.
     * @return bytes allocated by the second run.
     */
    public static long measure(final Runnable task)
    {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        task.run();
        final long before = mx.getCurrentThreadAllocatedBytes();
        task.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
