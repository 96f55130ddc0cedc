package io.flowcast.recorder;

import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Child process of {@link JournalCrashTest}: appends numbered messages to a journal and, after each batch, prints
 * how many it has appended so far; it never stops by itself before its time limit, so the parent kills it.
 */
public final class CrashingJournalWriter
{
    static final int BATCH = 50;

    public static void main(final String[] args)
    {
        final Path dir = Path.of(args[0]);
        final long deadline = System.currentTimeMillis() + Long.parseLong(args[1]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
        long n = 0;
        try (JournalWriter writer = new JournalWriter(dir, RollCycles.FAST_HOURLY, 0))
        {
            while (System.currentTimeMillis() < deadline)
            {
                for (int i = 0; i < BATCH; i++, n++)
                {
                    payload.putLong(0, n);
                    writer.append("crash/test", 9, n, System.currentTimeMillis() * 1_000_000L, payload, 0, 1024);
                }
                // the batch is in the mapped file: it survives the death of this process
                System.out.println(n);
                System.out.flush();
            }
        }
    }

    private CrashingJournalWriter()
    {
    }
}
