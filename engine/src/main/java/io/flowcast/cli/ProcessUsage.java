package io.flowcast.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and peak RSS, read from {@code /proc} (Linux, proc(5)), so a benchmark can measure a server
 * in another process, whatever it is written in; and this process's own CPU time, from the JVM.
 */
final class ProcessUsage
{
    /** Clock ticks per second of /proc/PID/stat utime and stime (USER_HZ, 100 on Linux). */
    static final long USER_HZ = 100;

    private final long pid;
    private final long startTicks;

    /**
     * @param pid the process ID.
     * @throws IllegalArgumentException when there is no such process (or no /proc).
     * @throws IOException              when /proc cannot be read.
     */
    ProcessUsage(final long pid) throws IOException
    {
        this.pid = pid;
        if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "stat")))
        {
            throw new IllegalArgumentException("--server-pid " + pid + ": no such process (or not Linux)");
        }
        startTicks = cpuTicks();
    }

    long pid()
    {
        return pid;
    }

    /**
     * @return {@link #cpuTicks()} when this object was made.
     */
    long startTicks()
    {
        return startTicks;
    }

    /** utime + stime of the process (all its threads), in clock ticks. */
    long cpuTicks() throws IOException
    {
        final long[] times = userSystemTicks();
        return times[0] + times[1];
    }

    /** utime and stime of the process (all its threads), in clock ticks: user code vs the kernel (syscalls). */
    long[] userSystemTicks() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name is in parentheses and may hold spaces: fields count from after its ')'
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])}; // fields 14, 15 of proc(5)
    }

    /** VmHWM: the process's peak resident set, in KiB. */
    long peakRssKb() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
        {
            if (line.startsWith("VmHWM:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * @return CPU time of this JVM process, ns (0 when the JVM does not tell).
     */
    static long currentProcessCpuNs()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }
}
