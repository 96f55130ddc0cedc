package io.flowcast.cli;

import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The report of a {@code bench fanout} run: completeness per player, latency percentiles over all players and the
 * spread of the per-player percentiles (HdrHistogram, µs), the server's CPU and peak RSS, the generator's CPU.
 */
final class FanoutReport
{
    private FanoutReport()
    {
    }

    /**
     * What the players got: the file line, completeness, latency over all players and per player; with {@code out},
     * the percentile distribution of all players' latency in HdrHistogram's format.
     *
     * @param stdout       to print to.
     * @param players      every player.
     * @param flvFile      the file published.
     * @param audio        its audio messages.
     * @param video        its video messages.
     * @param fileSeconds  its media duration.
     * @param mediaSeconds how long publishing took.
     * @param wallSeconds  how long the measurement took (publishing and the drain).
     * @param out          the .hgrm file, or null.
     * @throws IOException when {@code out} cannot be written.
     */
    static void players(
        final PrintWriter stdout,
        final List<FanoutPlayer> players,
        final Path flvFile,
        final int audio,
        final int video,
        final double fileSeconds,
        final double mediaSeconds,
        final double wallSeconds,
        final File out) throws IOException
    {
        final int expected = audio + video;
        final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 2);
        final long[] p50 = new long[players.size()];
        final long[] p99 = new long[players.size()];
        final long[] max = new long[players.size()];
        int complete = 0;
        long least = Long.MAX_VALUE;
        int n = 0;
        final StringBuilder incomplete = new StringBuilder();
        for (final FanoutPlayer player : players)
        {
            final long got = player.audio() + player.video();
            least = Math.min(least, got);
            if (got >= expected)
            {
                complete++;
            }
            else if (incomplete.length() < 400)
            {
                incomplete.append(incomplete.length() > 0 ? ", " : "").append('#').append(player.index()).append(' ')
                    .append(null != player.failure() ? player.failure() : got + "/" + expected);
            }
            final Histogram latency = player.latency();
            if (latency.getTotalCount() > 0)
            {
                total.add(latency);
                p50[n] = latency.getValueAtPercentile(50);
                p99[n] = latency.getValueAtPercentile(99);
                max[n] = latency.getMaxValue();
                n++;
            }
        }
        stdout.printf(Locale.ROOT, "file %s: %d audio + %d video messages, %.1f s; published in %.1f s, measured " +
            "over %.1f s%n", flvFile, audio, video, fileSeconds, mediaSeconds, wallSeconds);
        stdout.printf(Locale.ROOT, "complete %d of %d players (least received %d of %d)%s%n", complete, players.size(),
            least, expected, incomplete.length() > 0 ? "; incomplete: " + incomplete : "");
        stdout.printf(Locale.ROOT, "latency µs, all players: p50 %d p90 %d p99 %d p99.9 %d max %d (%d messages)%n",
            total.getValueAtPercentile(50), total.getValueAtPercentile(90), total.getValueAtPercentile(99),
            total.getValueAtPercentile(99.9), total.getMaxValue(), total.getTotalCount());
        if (n > 0)
        {
            Arrays.sort(p50, 0, n);
            Arrays.sort(p99, 0, n);
            Arrays.sort(max, 0, n);
            stdout.printf(Locale.ROOT, "per player µs: p50 best %d median %d worst %d; p99 best %d median %d " +
                "worst %d; max best %d median %d worst %d%n", p50[0], p50[n / 2], p50[n - 1], p99[0], p99[n / 2],
                p99[n - 1], max[0], max[n / 2], max[n - 1]);
        }
        if (null != out)
        {
            try (PrintStream hgrm = new PrintStream(new FileOutputStream(out), false, StandardCharsets.UTF_8))
            {
                total.outputPercentileDistribution(hgrm, 1.0);
            }
        }
    }

    /**
     * The server's CPU while publishing (user and system), per player and media second, during the joins, and its
     * peak RSS.
     *
     * @param stdout       to print to.
     * @param usage        the server process.
     * @param joinedTicks  its {@link ProcessUsage#cpuTicks()} once the players had joined.
     * @param startTicks   its {@link ProcessUsage#userSystemTicks()} when publishing started.
     * @param endTicks     the same when the measurement ended.
     * @param players      players in the run.
     * @param mediaSeconds how long publishing took.
     * @param wallSeconds  how long the measurement took.
     * @throws IOException when /proc cannot be read.
     */
    static void server(
        final PrintWriter stdout,
        final ProcessUsage usage,
        final long joinedTicks,
        final long[] startTicks,
        final long[] endTicks,
        final int players,
        final double mediaSeconds,
        final double wallSeconds) throws IOException
    {
        final double hz = ProcessUsage.USER_HZ;
        final double publishCpu = (endTicks[0] + endTicks[1] - (startTicks[0] + startTicks[1])) / hz;
        final double joinCpu = (joinedTicks - usage.startTicks()) / hz;
        stdout.printf(Locale.ROOT, "server pid %d: CPU %.2f s while publishing (user %.2f s, system %.2f s; " +
            "%.0f %% of one core over %.1f s) = %.2f ms per player per media second; %.2f s for the joins; " +
            "peak RSS %.1f MB%n",
            usage.pid(), publishCpu, (endTicks[0] - startTicks[0]) / hz, (endTicks[1] - startTicks[1]) / hz,
            100 * publishCpu / wallSeconds, wallSeconds, 1000 * publishCpu / players / mediaSeconds, joinCpu,
            usage.peakRssKb() / 1024.0);
    }
}
