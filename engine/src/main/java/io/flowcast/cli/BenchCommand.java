package io.flowcast.cli;

import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast bench}: measurements against any RTMFP peer.
 */
@Command(name = "bench", description = "Measure RTMFP round trips, throughput and media fan-out against any peer.",
    subcommands = { BenchCommand.Ping.class, BenchCommand.Throughput.class, FanoutBench.class })
final class BenchCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Round trips through an echoing peer (ours or the reference {@code echoserver}), on one flow and its return flow,
     * at a fixed rate. Each message carries the time it was due to be sent (not when it was), so a stall counts
     * against every message it delayed (no coordinated omission).
     */
    @Command(name = "ping", description = "Round-trip times through an echoing peer, as HdrHistogram percentiles (µs).")
    static final class Ping implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "URI", description = "rtmfp://HOST[:PORT]/PATH of an echo server.")
        String uri;

        @Option(names = "--messages", description = "Messages to measure (default ${DEFAULT-VALUE}).")
        int messages = 10_000;

        @Option(names = "--size", description = "Bytes per message, at least 16 (default ${DEFAULT-VALUE}).")
        int size = 64;

        @Option(names = "--rate", description = "Messages per second (default ${DEFAULT-VALUE}).")
        int rate = 10_000;

        @Option(names = "--warmup", description = "Messages sent first and not measured (default ${DEFAULT-VALUE}).")
        int warmup = 20_000;

        @Option(names = "--out", paramLabel = "FILE", description = "HdrHistogram percentile file (default ping-<time>.hgrm).")
        File out;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after (default ${DEFAULT-VALUE}).")
        double timeoutSeconds = 60;

        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(100), 3);
        long received;
        long measuredFrom;

        @Override
        public Integer call() throws Exception
        {
            if (size < 16 || messages < 1 || rate < 1)
            {
                throw new IllegalArgumentException("--size must be at least 16, --messages and --rate positive");
            }
            final FlowListener echoes = new FlowListener()
            {
                @Override
                public void onFlowOpened(final ReceiveFlow flow)
                {
                }

                @Override
                public void onMessage(
                    final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (length < 16)
                    {
                        return;
                    }
                    final long index = buffer.getLong(offset + 8);
                    final long rttNs = System.nanoTime() - buffer.getLong(offset);
                    received++;
                    if (index >= warmup)
                    {
                        histogram.recordValue(Math.max(1, Math.min(rttNs / 1000, histogram.getHighestTrackableValue())));
                    }
                }
            };
            try (RtmfpClient client = RtmfpClient.open(uri, 10, echoes))
            {
                final SendFlow flow = client.session.openFlow(
                    "flowcast ping".getBytes(StandardCharsets.UTF_8), null, new FlowOptions().measureLatency(false));
                final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
                final long total = (long)warmup + messages;
                final long intervalNs = 1_000_000_000L / rate;
                final long startNs = System.nanoTime();
                final long giveUpNs = startNs + (long)(timeoutSeconds * 1e9);
                long sent = 0;
                while (received < total && System.nanoTime() - giveUpNs < 0 && null == client.closed)
                {
                    final long now = System.nanoTime();
                    while (sent < total && now - (startNs + sent * intervalNs) >= 0)
                    {
                        message.putLong(0, startNs + sent * intervalNs);
                        message.putLong(8, sent);
                        final long rc = flow.offer(message, 0, size, SendFlow.PRIORITY_HIGH, 0, true);
                        if (rc < 0)
                        {
                            if (OfferStatus.BACK_PRESSURED == rc)
                            {
                                break;
                            }
                            throw new IllegalStateException("send flow: " + OfferStatus.name(rc));
                        }
                        sent++;
                    }
                    client.endpoint.doWork();
                }
                final PrintStream stdout = System.out;
                if (received < total)
                {
                    System.err.printf("flowcast bench ping: %d of %d echoes received%n", received, total);
                }
                stdout.printf(Locale.ROOT, "p50 %d%n", histogram.getValueAtPercentile(50));
                stdout.printf(Locale.ROOT, "p90 %d%n", histogram.getValueAtPercentile(90));
                stdout.printf(Locale.ROOT, "p99 %d%n", histogram.getValueAtPercentile(99));
                stdout.printf(Locale.ROOT, "p99.9 %d%n", histogram.getValueAtPercentile(99.9));
                stdout.printf(Locale.ROOT, "max %d%n", histogram.getMaxValue());
                final File file = null != out ? out : new File("ping-" + System.currentTimeMillis() + ".hgrm");
                try (PrintStream hgrm = new PrintStream(new FileOutputStream(file), false, StandardCharsets.UTF_8))
                {
                    histogram.outputPercentileDistribution(hgrm, 1.0);
                }
                System.err.printf(Locale.ROOT, "flowcast bench ping: %d messages of %d bytes at %d/s, %d measured, " +
                    "µs; histogram in %s%n", total, size, rate, histogram.getTotalCount(), file);
                return received < total ? 1 : 0;
            }
        }
    }

    /**
     * One flow kept full for a while into any peer; the peer's return flows are refused so the measure is one way.
     */
    @Command(name = "throughput", description = "MB/s and messages/s of one flow into any peer.")
    static final class Throughput implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "URI", description = "rtmfp://HOST[:PORT]/PATH of any flow sink.")
        String uri;

        @Option(names = "--seconds", description = "How long to send (default ${DEFAULT-VALUE}).")
        double seconds = 10;

        @Option(names = "--size", description = "Bytes per message (default ${DEFAULT-VALUE}).")
        int size = 1024;

        @Override
        public Integer call() throws Exception
        {
            if (size < 1 || seconds <= 0)
            {
                throw new IllegalArgumentException("--size and --seconds must be positive");
            }
            final FlowListener refuse = new FlowListener()
            {
                @Override
                public void onFlowOpened(final ReceiveFlow flow)
                {
                    flow.reject(0);
                }

                @Override
                public void onMessage(
                    final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
                {
                }
            };
            try (RtmfpClient client = RtmfpClient.open(uri, 10, refuse))
            {
                final SendFlow flow = client.session.openFlow(
                    "flowcast throughput".getBytes(StandardCharsets.UTF_8), null,
                    new FlowOptions().bufferBytes(Math.max(4 << 20, 4 * size)).maxQueuedFragments(1 << 14)
                        .measureLatency(false));
                final UnsafeBuffer message = new UnsafeBuffer(new byte[size]);
                final long startNs = System.nanoTime();
                final long endNs = startNs + (long)(seconds * 1e9);
                long ackedAtStart = -1;
                long warmNs = startNs + (long)(Math.min(1.0, seconds / 5) * 1e9);
                while (System.nanoTime() - endNs < 0 && null == client.closed)
                {
                    for (int i = 0; i < 64 && flow.offer(message, 0, size) > 0; i++)
                    {
                        // keep the queue full
                    }
                    client.endpoint.doWork();
                    if (ackedAtStart < 0 && System.nanoTime() - warmNs >= 0)
                    {
                        ackedAtStart = flow.messagesAcknowledged();
                        warmNs = System.nanoTime();
                    }
                }
                final double elapsed = (System.nanoTime() - warmNs) / 1e9;
                final long acked = flow.messagesAcknowledged() - Math.max(0, ackedAtStart);
                System.out.printf(Locale.ROOT, "%.1f MB/s%n", acked * (double)size / elapsed / 1e6);
                System.out.printf(Locale.ROOT, "%.0f messages/s%n", acked / elapsed);
                System.err.printf(Locale.ROOT, "flowcast bench throughput: %d messages of %d bytes acknowledged in " +
                    "%.2f s (after %.1f s warm-up); cwnd %d, srtt %d ms, %d retransmitted%n", acked, size, elapsed,
                    Math.min(1.0, seconds / 5), client.session.congestionWindow(), client.session.srttMillis(),
                    flow.retransmissions());
                return 0;
            }
        }
    }
}
