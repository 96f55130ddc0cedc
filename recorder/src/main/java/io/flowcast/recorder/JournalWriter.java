package io.flowcast.recorder;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.NavigableSet;

/**
 * Appends {@link JournalRecord}s to a Chronicle Queue directory, one document per message, written as raw bytes
 * (no Wire marshalling; no allocation in steady state). Applies retention when the queue rolls to a new cycle: roll
 * files older than the retention are deleted (a list-and-delete on roll rather than a {@code StoreFileListener},
 * because files left by an earlier run are never "released" by this process and would never be deleted).
 * <p>
 * Not thread safe: one writer per thread (the {@link RecorderAgent} owns one). The Chronicle appender is created on
 * the first append, so on the thread that appends.
 */
public final class JournalWriter implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final int retentionCycles;
    private final DateTimeFormatter fileNames;
    private final UnsafeBuffer scratchKey = new UnsafeBuffer(new byte[JournalRecord.MAX_KEY_LENGTH]);
    private ExcerptAppender appender;
    private int lastCycle = Integer.MIN_VALUE;
    private long deletedFiles;

    /**
     * Open (or create) the journal in a directory.
     *
     * @param directory       the journal directory.
     * @param rollCycle       how often files roll.
     * @param retentionCycles how many cycles to keep, the current one included; 0 keeps all.
     */
    public JournalWriter(final Path directory, final RollCycle rollCycle, final int retentionCycles)
    {
        this(SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle).build(), retentionCycles);
    }

    /**
     * Open (or create) the journal described by settings.
     *
     * @param settings recorder settings (directory, roll cycle, retention).
     */
    public JournalWriter(final RecorderSettings settings)
    {
        this(settings.directory(), settings.chronicleRollCycle(), settings.retentionCycles());
    }

    /**
     * Write to an already built queue (tests use one with a controlled time provider).
     *
     * @param queue           the queue, owned (closed) by this writer from now on.
     * @param retentionCycles how many cycles to keep, the current one included; 0 keeps all.
     */
    public JournalWriter(final SingleChronicleQueue queue, final int retentionCycles)
    {
        this.queue = queue;
        this.retentionCycles = retentionCycles;
        this.fileNames = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
        applyRetention(queue.cycle());
    }

    /**
     * Append one message. Allocates nothing once warm.
     *
     * @param key            buffer holding the stream key (US-ASCII).
     * @param keyOffset      of the key.
     * @param keyLength      of the key, 1 to 255.
     * @param messageType    RTMP / TC message type.
     * @param mediaTimestamp media timestamp, ms (u32).
     * @param receiveTimeNs  receive time, epoch ns.
     * @param payload        buffer holding the payload.
     * @param payloadOffset  of the payload.
     * @param payloadLength  of the payload.
     * @return the Chronicle index of the appended record.
     */
    public long append(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final int messageType,
        final long mediaTimestamp,
        final long receiveTimeNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (keyLength < 1 || keyLength > JournalRecord.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("stream key length must be 1 to 255 bytes: " + keyLength);
        }
        if (null == appender)
        {
            appender = queue.createAppender();
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            JournalRecord.write(
                dc.wire().bytes(), key, keyOffset, keyLength, messageType, mediaTimestamp, receiveTimeNs,
                payload, payloadOffset, payloadLength);
        }
        final int cycle = appender.cycle();
        if (cycle != lastCycle)
        {
            lastCycle = cycle;
            applyRetention(cycle);
        }
        return appender.lastIndexAppended();
    }

    /**
     * Append one message with the key as a string (convenience for tools and tests; encodes the key).
     *
     * @param key            stream key, {@code app/name}.
     * @param messageType    RTMP / TC message type.
     * @param mediaTimestamp media timestamp, ms (u32).
     * @param receiveTimeNs  receive time, epoch ns.
     * @param payload        buffer holding the payload.
     * @param payloadOffset  of the payload.
     * @param payloadLength  of the payload.
     * @return the Chronicle index of the appended record.
     */
    public long append(
        final String key,
        final int messageType,
        final long mediaTimestamp,
        final long receiveTimeNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > JournalRecord.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("stream key longer than 255 bytes: " + key);
        }
        scratchKey.putBytes(0, bytes);
        return append(
            scratchKey, 0, bytes.length, messageType, mediaTimestamp, receiveTimeNs, payload, payloadOffset,
            payloadLength);
    }

    /**
     * Ask the OS to write the mapped pages to disk (msync). Not needed for a process crash (the pages live in the
     * page cache); only against a machine crash, and costly.
     */
    public void sync()
    {
        if (null != appender)
        {
            appender.sync();
        }
    }

    /**
     * @return the Chronicle index of the last record this writer appended, or -1.
     */
    public long lastIndexAppended()
    {
        return null == appender ? -1 : appender.lastIndexAppended();
    }

    /**
     * @return roll files deleted by retention since this writer opened.
     */
    public long deletedFiles()
    {
        return deletedFiles;
    }

    /**
     * @return the underlying queue.
     */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    /**
     * Delete the roll files of cycles older than the retention, counting back from a cycle.
     *
     * @param currentCycle the cycle being written.
     * @return how many files were deleted.
     */
    public int applyRetention(final int currentCycle)
    {
        if (retentionCycles <= 0)
        {
            return 0;
        }
        final int oldestKept = currentCycle - retentionCycles + 1;
        final int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE || first >= oldestKept)
        {
            return 0;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(first, oldestKept - 1);
        final long cycleMs = queue.rollCycle().lengthInMillis();
        final Path dir = queue.file().toPath();
        int deleted = 0;
        for (final Long cycle : cycles)
        {
            final String name = fileNames.format(Instant.ofEpochMilli(cycle * cycleMs + queue.epoch())) + ".cq4";
            try
            {
                if (Files.deleteIfExists(dir.resolve(name)))
                {
                    deleted++;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot delete old journal file " + dir.resolve(name), ex);
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            deletedFiles += deleted;
        }
        return deleted;
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(appender, queue);
    }
}
