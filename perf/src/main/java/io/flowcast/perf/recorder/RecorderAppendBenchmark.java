package io.flowcast.perf.recorder;

import io.flowcast.recorder.JournalPublisher;
import io.flowcast.recorder.JournalWriter;
import io.flowcast.recorder.Recorder;
import io.flowcast.recorder.RecorderAgent;
import io.flowcast.recorder.RecorderCounters;
import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of recording one message: appending directly with a {@link JournalWriter}, versus through the ring buffer and
 * the {@link RecorderAgent} (offer and drain on one thread: the whole cost), versus the pipeline's throughput with
 * the agent on its own thread (offers retried while the ring is full, the retries counted in {@code refused}).
 * <p>
 * The journal lives on tmpfs ({@code /dev/shm} when present) and is recreated every iteration, so this measures the
 * CPU cost of an append (memory copy, page faults of fresh pages), not the disk, and uses bounded memory.
 * <pre>
 * flock /tmp/flowcast-bench.lock java $(cat engine/target/jvm.options) -jar perf/target/benchmarks.jar \
 *     RecorderAppendBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RecorderAppendBenchmark
{
    @Param({"1024", "8192"})
    int payloadLength;

    /** Length of the inlined stream key (the cost of inlining it: run with -p keyLength=1,21,64). */
    @Param({"21"})
    int keyLength;

    private Path root;
    private Path directory;
    private UnsafeBuffer payload;
    private String streamKey;
    private UnsafeBuffer key;
    private JournalWriter writer;
    private Recorder recorder;
    private JournalPublisher publisher;
    private RecorderAgent agent;
    private int stream;
    private long timestamp;
    private AgentRunner runner;

    /** Network-side counters reported by JMH beside the timings. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Offers
    {
        public long refused;
    }

    @Setup(Level.Trial)
    public void setUpTrial() throws Exception
    {
        final File shm = new File("/dev/shm");
        root = shm.isDirectory() ? Files.createTempDirectory(shm.toPath(), "flowcast-bench") :
            Files.createTempDirectory("flowcast-bench");
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadLength));
        streamKey = ("live/" + "k".repeat(64)).substring(0, keyLength);
        key = new UnsafeBuffer(streamKey.getBytes(StandardCharsets.US_ASCII));
    }

    @Setup(Level.Iteration)
    public void setUpIteration() throws Exception
    {
        directory = Files.createTempDirectory(root, "journal");
        writer = new JournalWriter(directory.resolve("direct"), RecorderSettings.rollCycle("HOURLY"), 0);
        recorder = Recorder.create(new RecorderSettings(true, directory.resolve("ring"), List.of(StreamPattern.of("*")),
            "HOURLY", Duration.ZERO, RecorderSettings.DEFAULT_RING_BYTES), RecorderCounters.inMemory());
        publisher = recorder.publisher();
        agent = recorder.agent();
        stream = publisher.registerStream(streamKey);
    }

    @TearDown(Level.Iteration)
    public void tearDownIteration()
    {
        writer.close();
        if (null != runner)
        {
            runner.close(); // closes the agent and its journal on the agent's thread
            runner = null;
        }
        else
        {
            agent.onClose();
        }
        IoUtil.delete(directory.toFile(), true);
    }

    @TearDown(Level.Trial)
    public void tearDownTrial()
    {
        IoUtil.delete(root.toFile(), true);
    }

    @Benchmark
    public long directAppend()
    {
        final long ts = timestamp++;
        return writer.append(key, 0, key.capacity(), 9, ts, ts, payload, 0, payloadLength);
    }

    @Benchmark
    public int ringAndAgentOneThread()
    {
        final long ts = timestamp++;
        publisher.offer(stream, 9, ts, ts, payload, 0, payloadLength);
        return agent.doWork();
    }

    @Benchmark
    public boolean offerWithAgentThread(final Offers offers)
    {
        if (null == runner)
        {
            runner = new AgentRunner(new BusySpinIdleStrategy(), Throwable::printStackTrace, null, agent);
            AgentRunner.startOnThread(runner);
        }
        final long ts = timestamp++;
        while (!publisher.offer(stream, 9, ts, ts, payload, 0, payloadLength))
        {
            offers.refused++; // the ring is full: a real publisher drops and counts; here we retry to measure throughput
            Thread.onSpinWait();
        }
        return true;
    }
}
