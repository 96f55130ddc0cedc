package io.flowcast.recorder;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.stream.Stream;

/**
 * Reads a journal directory with a Chronicle tailer, handing each record to a {@link JournalMessageHandler} as a
 * zero-copy {@link JournalMessage} view over the mapped file. Follows a live journal: {@link #poll} returns 0 when
 * nothing new is there yet and finds later appends (and new roll files) on a later call. Not thread safe.
 */
public final class JournalReader implements AutoCloseable
{
    /** File name suffix of Chronicle Queue roll files. */
    public static final String ROLL_FILE_SUFFIX = ".cq4";
    /** File name of Chronicle Queue's directory metadata. */
    public static final String METADATA_FILE = "metadata.cq4t";

    /** {@link #controlledNext} result: the handler consumed a message. */
    public static final int DELIVERED = 1;
    /** {@link #controlledNext} result: a message was skipped (filtered out, or not a journal record). */
    public static final int SKIPPED = 2;
    /** {@link #controlledNext} result: the handler left the message in place. */
    public static final int ABORTED = 3;
    /** {@link #controlledNext} result: no message available now. */
    public static final int NONE_AVAILABLE = 0;

    private final SingleChronicleQueue queue;
    private final boolean ownsQueue;
    private final ExcerptTailer tailer;
    private final JournalMessage message = new JournalMessage();
    private final UnsafeBuffer validation = new UnsafeBuffer(0, 0);
    private StreamPattern streamFilter;
    private long malformedRecords;

    private JournalReader(final SingleChronicleQueue queue, final boolean ownsQueue)
    {
        this.queue = queue;
        this.ownsQueue = ownsQueue;
        this.tailer = queue.createTailer();
    }

    /**
     * Another reader of the same open journal, with its own position (a new tailer; no new mapping of the queue's
     * metadata, so it is cheap). Closing it leaves this reader's queue open; close this one last.
     *
     * @return a reader positioned at the start.
     */
    public JournalReader newReader()
    {
        return new JournalReader(queue, false);
    }

    /**
     * Open a journal for reading (read only: the reader never writes to the directory).
     *
     * @param directory the journal directory.
     * @return a reader positioned at the start.
     * @throws JournalException if the directory is missing or is not a journal.
     */
    public static JournalReader open(final Path directory)
    {
        requireJournal(directory);
        try
        {
            return new JournalReader(SingleChronicleQueueBuilder.binary(directory).readOnly(true).build(), true);
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException(directory + " is not a readable journal: " + ex.getMessage(), ex);
        }
    }

    /**
     * Check a directory looks like a journal.
     *
     * @param directory to check.
     * @throws JournalException naming the problem.
     */
    public static void requireJournal(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new JournalException("journal directory " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory))
        {
            throw new JournalException(directory + " is not a directory: give the journal directory");
        }
        try (Stream<Path> files = Files.list(directory))
        {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith(ROLL_FILE_SUFFIX)))
            {
                throw new JournalException(
                    directory + " is not a journal (no " + ROLL_FILE_SUFFIX + " roll files in it)");
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Read only the streams a pattern matches (null: all).
     *
     * @param pattern stream key glob, or null.
     * @return this.
     */
    public JournalReader streamFilter(final StreamPattern pattern)
    {
        this.streamFilter = pattern;
        return this;
    }

    /**
     * @return this, positioned before the first record.
     */
    public JournalReader toStart()
    {
        tailer.toStart();
        return this;
    }

    /**
     * @return this, positioned after the last record (to follow only new ones).
     */
    public JournalReader toEnd()
    {
        tailer.toEnd();
        return this;
    }

    /**
     * Position at the start of the roll cycle that holds a receive time, without reading any record: a record is
     * appended after it is received, so no earlier cycle holds a later receive time. Cheap (no scan), for callers
     * that pass over the earlier records of that cycle themselves, a bounded number at a time (a replay on a duty
     * cycle); {@link #seek(long)} does the scan at once.
     *
     * @param epochMs receive time, epoch ms.
     * @return this (at the start if the time is before the first cycle, at the end if after the last).
     */
    public JournalReader toCycleOf(final long epochMs)
    {
        final long cycleMs = queue.rollCycle().lengthInMillis();
        final int cycle = (int)Math.floorDiv(epochMs - queue.epoch(), cycleMs);
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || cycle <= first)
        {
            tailer.toStart();
        }
        else if (cycle > last)
        {
            tailer.toEnd();
        }
        else
        {
            final NavigableSet<Long> cycles = queue.listCyclesBetween(cycle, last);
            if (cycles.isEmpty() || !tailer.moveToCycle(cycles.first().intValue()))
            {
                tailer.toStart();
            }
        }
        return this;
    }

    /**
     * Position before the first record received at or after a time: {@link #toCycleOf(long)}, then a scan forward
     * within that cycle.
     *
     * @param epochMs receive time, epoch ms.
     * @return this.
     */
    public JournalReader seek(final long epochMs)
    {
        toCycleOf(epochMs);
        final long fromNs = epochMs * 1_000_000L;
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return this;
                }
                if (!dc.isData() || !wrap(dc))
                {
                    continue;
                }
                if (message.receiveTimeNs() >= fromNs)
                {
                    dc.rollbackOnClose();
                    return this;
                }
            }
        }
    }

    /**
     * Read the next record, if there is one now.
     *
     * @param handler receives it.
     * @return true if a record was handed over, false if none is available yet.
     */
    public boolean next(final JournalMessageHandler handler)
    {
        while (true)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return false;
                }
                if (dc.isData() && wrap(dc) && (null == streamFilter || streamFilter.matches(message.streamKey())))
                {
                    handler.onMessage(message);
                    return true;
                }
            }
        }
    }

    /**
     * Offer the next record to a handler that may leave it in place (see {@link ControlledJournalMessageHandler}).
     * Records that are not valid or that the stream filter rejects are passed over ({@link #SKIPPED}).
     *
     * @param handler decides whether the record is consumed.
     * @return {@link #DELIVERED}, {@link #SKIPPED}, {@link #ABORTED} or {@link #NONE_AVAILABLE}.
     */
    public int controlledNext(final ControlledJournalMessageHandler handler)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return NONE_AVAILABLE;
            }
            if (!dc.isData() || !wrap(dc) || (null != streamFilter && !streamFilter.matches(message.streamKey())))
            {
                return SKIPPED;
            }
            if (handler.onMessage(message) == ControlledJournalMessageHandler.Action.ABORT)
            {
                dc.rollbackOnClose();
                return ABORTED;
            }
            return DELIVERED;
        }
    }

    /**
     * Read up to a number of records that are available now.
     *
     * @param handler receives them.
     * @param limit   most records to read.
     * @return how many were read.
     */
    public int poll(final JournalMessageHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && next(handler))
        {
            count++;
        }
        return count;
    }

    /**
     * @return records skipped because they were not valid journal records (another version, or damaged).
     */
    public long malformedRecords()
    {
        return malformedRecords;
    }

    /**
     * @return the underlying queue (for its roll cycle and cycles).
     */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    private boolean wrap(final DocumentContext dc)
    {
        final Bytes<?> bytes = dc.wire().bytes();
        final long position = bytes.readPosition();
        final long remaining = bytes.readRemaining();
        if (remaining > Integer.MAX_VALUE || remaining < JournalRecord.HEADER_LENGTH)
        {
            malformedRecords++;
            return false;
        }
        final int length = (int)remaining;
        final long address = bytes.addressForRead(position, length);
        validation.wrap(address, length);
        if (JournalRecord.validate(validation, 0, length) != JournalRecord.VALID)
        {
            malformedRecords++;
            return false;
        }
        message.wrap(address, length, dc.index());
        return true;
    }

    @Override
    public void close()
    {
        if (ownsQueue)
        {
            CloseHelper.closeAll(tailer, queue);
        }
        else
        {
            tailer.close();
        }
    }
}
