package io.flowcast.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The recorder: whether to journal streams, where, which ones, and for how long.
 *
 * @param enabled    record streams at all.
 * @param directory  where journals are written.
 * @param streams    {@code app/stream} glob patterns (the recorder's {@code StreamPattern}: {@code *} within one
 *                   path segment, {@code **} across segments, {@code ?} one character; a lone {@code *} is every
 *                   stream).
 * @param rollCycle  how often a new journal file starts.
 * @param retention  how long journal files are kept; {@link Duration#ZERO} keeps them forever.
 * @param ringBytes  capacity of the ring between the network agent and the recorder (a power of 2, at least 64 KiB).
 */
public record RecorderConfig(
    boolean enabled, Path directory, List<String> streams, RollCycle rollCycle, Duration retention, int ringBytes)
{
    /**
     * Copy the pattern list so the record stays immutable.
     */
    public RecorderConfig
    {
        streams = List.copyOf(streams);
    }
}
