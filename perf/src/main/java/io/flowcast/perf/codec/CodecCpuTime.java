package io.flowcast.perf.codec;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Companion to {@link RtmfpCodecBenchmark} for shared, loaded machines: runs the same decode and encode methods in a
 * loop and reports thread CPU time per packet beside wall time, since wall time (what JMH measures) includes the
 * time the thread waits for a core. Not a replacement for JMH; a cross-check.
 * <pre>
 *   java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar io.flowcast.perf.codec.CodecCpuTime
 * </pre>
 */
public final class CodecCpuTime
{
    private CodecCpuTime()
    {
    }

    /**
     * @param args optional: packets per round (default 5,000,000).
     */
    public static void main(final String[] args)
    {
        final long packets = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        final RtmfpCodecBenchmark benchmark = new RtmfpCodecBenchmark();
        benchmark.setup();
        final Blackhole bh = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        for (int round = 1; round <= 5; round++)
        {
            long sum = 0;
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (long i = 0; i < packets; i++)
            {
                sum += benchmark.decodePacket(bh);
            }
            final double decodeCpu = (threads.getCurrentThreadCpuTime() - cpu) / (double)packets;
            final double decodeWall = (System.nanoTime() - wall) / (double)packets;

            cpu = threads.getCurrentThreadCpuTime();
            wall = System.nanoTime();
            for (long i = 0; i < packets; i++)
            {
                sum += benchmark.encodePacket();
            }
            final double encodeCpu = (threads.getCurrentThreadCpuTime() - cpu) / (double)packets;
            final double encodeWall = (System.nanoTime() - wall) / (double)packets;

            System.out.printf(
                "round %d: decode %.1f ns cpu / %.1f ns wall, encode %.1f ns cpu / %.1f ns wall per packet (%d)%n",
                round, decodeCpu, decodeWall, encodeCpu, encodeWall, sum);
        }
    }
}
