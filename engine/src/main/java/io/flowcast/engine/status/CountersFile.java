package io.flowcast.engine.status;

import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A memory-mapped file of Agrona counters that another process (e.g. {@code flowcast stat}) reads live, like Aeron's
 * CnC file. Layout: a {@value #HEADER_LENGTH}-byte header, the counters' metadata, then their values.
 *
 * <pre>
 *   0  magic 'FLWC'        int      24  metadata length  int
 *   4  layout version      int      28  values length    int
 *   8  pid                 long     32  heartbeat (epoch ms), written by the owning agent
 *  16  start time epoch ms long
 * </pre>
 */
public final class CountersFile implements AutoCloseable
{
    /** File name inside the counters directory. */
    public static final String FILE_NAME = "flowcast-counters.dat";

    static final int MAGIC = 0x46_4C_57_43; // "FLWC"
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int PID_OFFSET = 8;
    static final int START_TIME_OFFSET = 16;
    static final int METADATA_LENGTH_OFFSET = 24;
    static final int VALUES_LENGTH_OFFSET = 28;
    static final int HEARTBEAT_OFFSET = 32;
    static final int HEADER_LENGTH = 128;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final AtomicBuffer metadata;
    private final AtomicBuffer values;
    private final CountersManager manager;
    private final CountersReader reader;

    private CountersFile(final Path path, final MappedByteBuffer mapped, final boolean writable)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        this.metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
        if (writable)
        {
            this.manager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
            this.reader = manager;
        }
        else
        {
            this.manager = null;
            this.reader = new CountersReader(metadata, values, StandardCharsets.US_ASCII);
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
     * Create (or replace) the counters file for this process.
     *
     * @param directory   where to put it; created when missing.
     * @param maxCounters how many counters it can hold.
     * @param clock       stamps the start time and first heartbeat.
     * @return the open file, with a {@link CountersManager} to allocate counters from.
     */
    public static CountersFile create(
        final Path directory, final int maxCounters, final org.agrona.concurrent.EpochClock clock)
    {
        final long nowMs = clock.time();
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final long length = HEADER_LENGTH + metadataLength + (long)valuesLength;
        try
        {
            Files.createDirectories(directory);
            final Path path = directory.resolve(FILE_NAME);
            Files.deleteIfExists(path);
            final MappedByteBuffer mapped = IoUtil.mapNewFile(path.toFile(), BitUtil.align(length, 4096), true);
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            header.putInt(VERSION_OFFSET, VERSION);
            header.putLong(PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(START_TIME_OFFSET, nowMs);
            header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
            header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
            header.putLongVolatile(HEARTBEAT_OFFSET, nowMs);
            header.putIntOrdered(MAGIC_OFFSET, MAGIC); // last: a reader sees a complete header or none
            return new CountersFile(path, mapped, true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create counters file in " + directory + ": " + ex.getMessage(), ex);
        }
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
            header.getInt(VALUES_LENGTH_OFFSET);
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION ||
            needed > mapped.capacity())
        {
            IoUtil.unmap(mapped);
            throw new IOException(path + " is not a Flowcast counters file of layout version " + VERSION);
        }
        return new CountersFile(path, mapped, false);
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
     * @return where the file is.
     */
    public Path path()
    {
        return path;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    /**
     * @return milliseconds since the owner's last heartbeat.
     */
    public long heartbeatAgeMs()
    {
        return SystemEpochClock.INSTANCE.time() - heartbeatMs();
    }
}
