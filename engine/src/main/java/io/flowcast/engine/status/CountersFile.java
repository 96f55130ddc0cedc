package io.flowcast.engine.status;

import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A memory-mapped file of Agrona counters and a distinct error log that another process (e.g. {@code flowcast stat})
 * reads live, like Aeron's CnC file. Layout: a {@value #HEADER_LENGTH}-byte header, the counters' metadata, their
 * values, then the error log (Agrona {@link DistinctErrorLog}: each distinct error once, with its count and its first
 * and last time).
 *
 * <pre>
 *   0  magic 'FLWC'        int      24  metadata length  int
 *   4  layout version      int      28  values length    int
 *   8  pid                 long     32  heartbeat (epoch ms), written by the owning agent
 *  16  start time epoch ms long     40  error log length int
 * </pre>
 */
public final class CountersFile implements AutoCloseable
{
    /** File name inside the counters directory. */
    public static final String FILE_NAME = "flowcast-counters.dat";

    static final int MAGIC = 0x46_4C_57_43; // "FLWC"
    /** Version 2 added the error log. */
    static final int VERSION = 2;
    /** Error log bytes unless told otherwise: room for a few hundred distinct stack traces. */
    public static final int DEFAULT_ERROR_LOG_LENGTH = 1024 * 1024;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int START_TIME_OFFSET = 16;
    static final int METADATA_LENGTH_OFFSET = 24;
    static final int VALUES_LENGTH_OFFSET = 28;
    static final int HEARTBEAT_OFFSET = 32;
    static final int ERROR_LOG_LENGTH_OFFSET = 40;
    static final int HEADER_LENGTH = 128;

    private final Path path;
    private final ByteBuffer mapped;
    private final UnsafeBuffer header;
    private final AtomicBuffer metadata;
    private final AtomicBuffer values;
    private final AtomicBuffer errorLogBuffer;
    private final CountersManager manager;
    private final CountersReader reader;
    private final DistinctErrorLog errorLog;

    private CountersFile(final Path path, final ByteBuffer mapped, final boolean writable, final EpochClock clock)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        this.metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
        this.errorLogBuffer = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength + valuesLength,
            header.getInt(ERROR_LOG_LENGTH_OFFSET));
        if (writable)
        {
            this.manager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
            this.reader = manager;
            this.errorLog = new DistinctErrorLog(errorLogBuffer, clock, StandardCharsets.UTF_8);
        }
        else
        {
            this.manager = null;
            this.reader = new CountersReader(metadata, values, StandardCharsets.US_ASCII);
            this.errorLog = null;
        }
    }

    /**
     * @return the default directory: {@code /dev/shm/flowcast-USER} where /dev/shm exists (memory, not disk), else
     * {@code TMPDIR/flowcast-USER}.
     */
    public static Path defaultDirectory()
    {
        final String user = System.getProperty("user.name", "default").replaceAll("[^A-Za-z0-9_.-]", "_");
        final Path shm = Paths.get("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ?
            shm : Paths.get(System.getProperty("java.io.tmpdir"));
        return base.resolve("flowcast-" + user);
    }

    /**
     * Create (or replace) the counters file for this process.
     *
     * @param directory   where to put it; created when missing.
     * @param maxCounters how many counters it can hold.
     * @return the open file, with a {@link CountersManager} to allocate counters from.
     */
    public static CountersFile create(final Path directory, final int maxCounters)
    {
        return create(directory, maxCounters, SystemEpochClock.INSTANCE);
    }

    /**
     * Create (or replace) the counters file for this process, with an error log of
     * {@link #DEFAULT_ERROR_LOG_LENGTH} bytes.
     *
     * @param directory   where to put it; created when missing.
     * @param maxCounters how many counters it can hold.
     * @param clock       stamps the start time, the first heartbeat and the error log.
     * @return the open file, with a {@link CountersManager} to allocate counters from.
     */
    public static CountersFile create(final Path directory, final int maxCounters, final EpochClock clock)
    {
        return create(directory, maxCounters, DEFAULT_ERROR_LOG_LENGTH, clock);
    }

    /**
     * Create (or replace) the counters file for this process.
     *
     * @param directory      where to put it; created when missing.
     * @param maxCounters    how many counters it can hold.
     * @param errorLogLength bytes of the error log, a multiple of 8.
     * @param clock          stamps the start time, the first heartbeat and the error log.
     * @return the open file, with a {@link CountersManager} to allocate counters from.
     */
    public static CountersFile create(
        final Path directory, final int maxCounters, final int errorLogLength, final EpochClock clock)
    {
        try
        {
            Files.createDirectories(directory);
            final Path path = directory.resolve(FILE_NAME);
            Files.deleteIfExists(path);
            final MappedByteBuffer mapped = IoUtil.mapNewFile(
                path.toFile(), BitUtil.align(length(maxCounters, errorLogLength), 4096), true);
            return initialise(path, mapped, maxCounters, errorLogLength, clock);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create counters file in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The same layout in this process's memory only, for a server run without a counters directory (embedded, tests):
     * counters and errors work alike, but no other process can read them.
     *
     * @param maxCounters    how many counters it can hold.
     * @param errorLogLength bytes of the error log, a multiple of 8.
     * @param clock          stamps the start time, the first heartbeat and the error log.
     * @return the open "file", whose {@link #path()} is null.
     */
    public static CountersFile inMemory(final int maxCounters, final int errorLogLength, final EpochClock clock)
    {
        final long length = length(maxCounters, errorLogLength);
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("counters and error log too large: " + length + " bytes");
        }
        return initialise(null, ByteBuffer.allocateDirect((int)length), maxCounters, errorLogLength, clock);
    }

    private static long length(final int maxCounters, final int errorLogLength)
    {
        if (maxCounters < 1 || errorLogLength < 0 || 0 != (errorLogLength & 7))
        {
            throw new IllegalArgumentException("counters file needs at least one counter and an error log length " +
                "that is a multiple of 8: " + maxCounters + ", " + errorLogLength);
        }
        return HEADER_LENGTH + (long)maxCounters * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH) +
            errorLogLength;
    }

    private static CountersFile initialise(
        final Path path, final ByteBuffer mapped, final int maxCounters, final int errorLogLength,
        final EpochClock clock)
    {
        final long nowMs = clock.time();
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_TIME_OFFSET, nowMs);
        header.putInt(METADATA_LENGTH_OFFSET, maxCounters * CountersReader.METADATA_LENGTH);
        header.putInt(VALUES_LENGTH_OFFSET, maxCounters * CountersReader.COUNTER_LENGTH);
        header.putInt(ERROR_LOG_LENGTH_OFFSET, errorLogLength);
        header.putLongVolatile(HEARTBEAT_OFFSET, nowMs);
        header.putIntOrdered(MAGIC_OFFSET, MAGIC); // last: a reader sees a complete header or none
        return new CountersFile(path, mapped, true, clock);
    }

    /**
     * Open another process's counters file to read.
     *
     * @param directory holding {@value #FILE_NAME}.
     * @return the open file.
     * @throws IOException with a message a person can act on when it is missing or not a counters file.
     */
    public static CountersFile openReadOnly(final Path directory) throws IOException
    {
        final Path path = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(path))
        {
            throw new IOException("no counters file at " + path + " (is a Flowcast server running? " +
                "pass the directory it uses with --dir)");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(path.toFile(), FILE_NAME);
        if (mapped.capacity() < HEADER_LENGTH)
        {
            IoUtil.unmap(mapped);
            throw new IOException(path + " is too short to be a Flowcast counters file");
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final long needed = HEADER_LENGTH + (long)header.getInt(METADATA_LENGTH_OFFSET) +
            header.getInt(VALUES_LENGTH_OFFSET) + header.getInt(ERROR_LOG_LENGTH_OFFSET);
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION ||
            needed > mapped.capacity())
        {
            IoUtil.unmap(mapped);
            throw new IOException(path + " is not a Flowcast counters file of layout version " + VERSION +
                " (a server of another Flowcast version? use its flowcast stat)");
        }
        return new CountersFile(path, mapped, false, SystemEpochClock.INSTANCE);
    }

    /**
     * @return the manager to allocate counters from (only for the owning process).
     */
    public CountersManager manager()
    {
        if (null == manager)
        {
            throw new IllegalStateException("counters file opened read-only");
        }
        return manager;
    }

    /**
     * @return the error log to record into (only for the owning process; thread safe).
     */
    public DistinctErrorLog errorLog()
    {
        if (null == errorLog)
        {
            throw new IllegalStateException("counters file opened read-only");
        }
        return errorLog;
    }

    /**
     * Read every distinct error recorded so far, oldest first.
     *
     * @param consumer gets count, first and last observation (epoch ms) and the stack trace of each.
     * @return how many distinct errors were read.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errorLogBuffer, consumer);
    }

    /**
     * @return a reader of every counter.
     */
    public CountersReader reader()
    {
        return reader;
    }

    /**
     * Record that the owning process is alive; called from its duty cycle about once a second.
     *
     * @param nowMs epoch milliseconds.
     */
    public void heartbeat(final long nowMs)
    {
        header.putLongOrdered(HEARTBEAT_OFFSET, nowMs);
    }

    /**
     * @return epoch ms of the owner's last heartbeat.
     */
    public long heartbeatMs()
    {
        return header.getLongVolatile(HEARTBEAT_OFFSET);
    }

    /**
     * @return pid of the owning process.
     */
    public long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    /**
     * @return epoch ms when the owner started.
     */
    public long startTimeMs()
    {
        return header.getLong(START_TIME_OFFSET);
    }

    /**
     * @return where the file is, or null for {@link #inMemory}.
     */
    public Path path()
    {
        return path;
    }

    @Override
    public void close()
    {
        if (mapped instanceof MappedByteBuffer)
        {
            IoUtil.unmap((MappedByteBuffer)mapped);
        }
    }

    /**
     * @return milliseconds since the owner's last heartbeat.
     */
    public long heartbeatAgeMs()
    {
        return SystemEpochClock.INSTANCE.time() - heartbeatMs();
    }
}
