package io.flowcast.engine.server;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's one error handler, like Aeron's counted error handler over its CnC {@link DistinctErrorLog}: every
 * error an agent or a callback throws is counted, recorded in the counters file's error log (each distinct error
 * once, with its count and first/last time: {@code flowcast stat} shows them) and logged. Safe from any thread.
 * <p>
 * Logging is bounded so that a callback throwing on every message cannot flood the log: the first
 * {@value #LOGGED_IN_FULL} errors are logged, then every {@value #LOG_EVERY}th; all are counted and recorded.
 */
public final class ServerErrorHandler implements ErrorHandler
{
    static final int LOGGED_IN_FULL = 10;
    static final int LOG_EVERY = 1000;

    private static final Logger LOG = Logger.getLogger(ServerErrorHandler.class.getName());

    private final DistinctErrorLog log;
    private final AtomicCounter errors;
    private final ErrorHandler next;
    private volatile boolean closed;

    /**
     * @param log    where distinct errors are recorded (the counters file's).
     * @param errors counts every error.
     * @param next   called after, or null.
     */
    public ServerErrorHandler(final DistinctErrorLog log, final AtomicCounter errors, final ErrorHandler next)
    {
        this.log = log;
        this.errors = errors;
        this.next = next;
    }

    @Override
    public void onError(final Throwable throwable)
    {
        long count = -1;
        boolean recorded = false;
        if (!closed) // once the counters file is unmapped, writing to it would crash the JVM
        {
            count = errors.getAndAdd(1); // many threads may report: not the single-writer release form
            recorded = log.record(throwable);
        }
        if (count < LOGGED_IN_FULL || 0 == count % LOG_EVERY || !recorded)
        {
            LOG.log(Level.SEVERE, "server error" + (count >= 0 ? " " + (count + 1) : "") +
                (recorded ? "" : " (not in the error log: it is full or closed)") + ": " + throwable, throwable);
        }
        if (null != next)
        {
            next.onError(throwable);
        }
    }

    /**
     * @return errors so far.
     */
    public long errorCount()
    {
        return closed ? -1 : errors.get();
    }

    /**
     * Stop writing to the counters file (before it is unmapped); later errors are only logged.
     */
    void close()
    {
        closed = true;
    }
}
