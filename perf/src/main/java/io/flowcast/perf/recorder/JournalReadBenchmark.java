package io.flowcast.perf.recorder;

import io.flowcast.recorder.JournalMessage;
import io.flowcast.recorder.JournalMessageHandler;
import io.flowcast.recorder.JournalReader;
import io.flowcast.recorder.JournalWriter;
import io.flowcast.recorder.RecorderSettings;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of reading one journal record through {@link JournalReader} (Chronicle tailer, zero-copy view): what a
 * replay or an export pays per message. 100,000 records of 1 or 8 KB from two streams, on tmpfs, read in a loop.
 * <pre>
 * flock /tmp/flowcast-bench.lock java $(cat engine/target/jvm.options) -jar perf/target/benchmarks.jar \
 *     JournalReadBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JournalReadBenchmark
{
    private static final int RECORDS = 100_000;

    @Param({"1024", "8192"})
    int payloadLength;

    private Path directory;
    private JournalReader reader;
    private long checksum;
    private final JournalMessageHandler handler = this::onMessage;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final File shm = new File("/dev/shm");
        directory = shm.isDirectory() ? Files.createTempDirectory(shm.toPath(), "flowcast-read") :
            Files.createTempDirectory("flowcast-read");
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadLength));
        try (JournalWriter writer = new JournalWriter(directory, RecorderSettings.rollCycle("HOURLY"), 0))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                payload.putInt(0, i);
                writer.append((i & 1) == 0 ? "live/a" : "live/b", 9, i, i, payload, 0, payloadLength);
            }
        }
        reader = JournalReader.open(directory);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        reader.close();
        IoUtil.delete(directory.toFile(), true);
    }

    @Benchmark
    public long next()
    {
        if (!reader.next(handler))
        {
            reader.toStart();
        }
        return checksum;
    }

    private void onMessage(final JournalMessage message)
    {
        checksum += message.mediaTimestamp() + message.buffer().getInt(message.payloadOffset());
    }
}
