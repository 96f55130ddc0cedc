package io.flowcast.recorder;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the recorder records and how it keeps it. Recording is off by default.
 *
 * @param enabled    whether anything is recorded.
 * @param directory  the journal directory (one Chronicle Queue).
 * @param patterns   stream keys to record ({@link StreamPattern} globs such as {@code live/*} or {@code *}).
 * @param rollCycle  name of the roll cycle (see {@link #rollCycle(String)}).
 * @param retention  how long roll files are kept, rounded up to whole cycles; {@link Duration#ZERO} keeps all.
 * @param ringBytes  capacity of the ring buffer between the network agent and the recorder agent (a power of 2).
 */
public record RecorderSettings(
    boolean enabled,
    Path directory,
    List<StreamPattern> patterns,
    String rollCycle,
    Duration retention,
    int ringBytes)
{
    /** Default roll cycle name. */
    public static final String DEFAULT_ROLL_CYCLE = "HOURLY";
    /** Default ring capacity: 8 MiB, about 30 ms of 100 streams at 2 Mbps. */
    public static final int DEFAULT_RING_BYTES = 8 * 1024 * 1024;

    /** Roll cycle names accepted in configuration. */
    public static final List<String> ROLL_CYCLE_NAMES = List.of(
        "FIVE_MINUTELY", "TEN_MINUTELY", "HALF_HOURLY", "HOURLY", "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY", "DAILY",
        "WEEKLY", "LARGE_HOURLY", "LARGE_DAILY");

    /**
     * Validating constructor.
     */
    public RecorderSettings
    {
        Objects.requireNonNull(patterns, "patterns");
        Objects.requireNonNull(retention, "retention");
        patterns = List.copyOf(patterns);
        if (enabled && null == directory)
        {
            throw new IllegalArgumentException("recorder.directory is required when recording is enabled");
        }
        if (retention.isNegative())
        {
            throw new IllegalArgumentException("recorder.retention must be 0 (keep all) or positive: " + retention);
        }
        if (ringBytes < 64 * 1024 || Integer.bitCount(ringBytes) != 1)
        {
            throw new IllegalArgumentException(
                "recorder.ring-size must be a power of 2 of at least 64 KiB, not " + ringBytes);
        }
        rollCycle(rollCycle);
    }

    /**
     * @return settings with recording off.
     */
    public static RecorderSettings disabled()
    {
        return new RecorderSettings(false, null, List.of(), DEFAULT_ROLL_CYCLE, Duration.ZERO, DEFAULT_RING_BYTES);
    }

    /**
     * Record every stream into a directory with the defaults (what {@code server --record DIR} means).
     *
     * @param directory the journal directory.
     * @return settings recording {@code *}.
     */
    public static RecorderSettings recordAll(final Path directory)
    {
        return new RecorderSettings(
            true, directory, List.of(StreamPattern.of("*")), DEFAULT_ROLL_CYCLE, Duration.ZERO, DEFAULT_RING_BYTES);
    }

    /**
     * @param key stream key.
     * @return true if recording is on and the key matches a pattern.
     */
    public boolean records(final CharSequence key)
    {
        return enabled && StreamPattern.anyMatches(patterns, key);
    }

    /**
     * @return the Chronicle roll cycle.
     */
    public RollCycle chronicleRollCycle()
    {
        return rollCycle(rollCycle);
    }

    /**
     * @return how many roll cycles retention keeps (the current one included), or 0 to keep all.
     */
    public int retentionCycles()
    {
        if (retention.isZero())
        {
            return 0;
        }
        final long cycleMs = chronicleRollCycle().lengthInMillis();
        return (int)Math.max(1, (retention.toMillis() + cycleMs - 1) / cycleMs);
    }

    /**
     * Map a configuration name to a Chronicle roll cycle. {@code HOURLY} and {@code DAILY} are Chronicle's
     * {@code FAST_HOURLY} / {@code FAST_DAILY} (the current formats); Chronicle's own names are accepted too.
     *
     * @param name case-insensitive.
     * @return the roll cycle.
     * @throws IllegalArgumentException naming the accepted names.
     */
    public static RollCycle rollCycle(final String name)
    {
        final String upper = null == name ? "" : name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (upper)
        {
            case "HOURLY":
            case "FAST_HOURLY":
                return RollCycles.FAST_HOURLY;
            case "DAILY":
            case "FAST_DAILY":
                return RollCycles.FAST_DAILY;
            case "FIVE_MINUTELY": return RollCycles.FIVE_MINUTELY;
            case "TEN_MINUTELY": return RollCycles.TEN_MINUTELY;
            case "HALF_HOURLY": return RollCycles.HALF_HOURLY;
            case "TWO_HOURLY": return RollCycles.TWO_HOURLY;
            case "FOUR_HOURLY": return RollCycles.FOUR_HOURLY;
            case "SIX_HOURLY": return RollCycles.SIX_HOURLY;
            case "WEEKLY": return RollCycles.WEEKLY;
            case "LARGE_HOURLY": return LargeRollCycles.LARGE_HOURLY;
            case "LARGE_DAILY": return LargeRollCycles.LARGE_DAILY;
            default:
                throw new IllegalArgumentException(
                    "recorder.roll-cycle '" + name + "' is unknown: use one of " + ROLL_CYCLE_NAMES);
        }
    }
}
