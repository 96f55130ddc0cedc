package io.flowcast.engine.server;

import io.flowcast.config.LogLevel;
import io.flowcast.config.LoggingConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * {@code logging.level} and {@code logging.file} applied to the {@code io.flowcast} loggers (java.util.logging):
 * one handler at that level, appending to the file or writing to standard error, instead of the root handler
 * (whose INFO threshold would hide debug records). {@link #close()} puts the loggers back as they were.
 */
final class ServerLogging implements AutoCloseable
{
    /** The parent of every Flowcast logger; held here so that its settings are not garbage collected. */
    static final Logger ROOT = Logger.getLogger("io.flowcast");

    private final Handler handler;
    private final Level previousLevel;
    private final boolean previousUseParent;

    private ServerLogging(final Handler handler)
    {
        this.handler = handler;
        this.previousLevel = ROOT.getLevel();
        this.previousUseParent = ROOT.getUseParentHandlers();
    }

    /**
     * @param config the level and file.
     * @return the applied logging, to close when the server closes.
     * @throws UncheckedIOException when the file cannot be opened, naming it.
     */
    static ServerLogging apply(final LoggingConfig config)
    {
        final Level level = level(config.level());
        final OutputStream out;
        if (config.file().isPresent())
        {
            try
            {
                out = Files.newOutputStream(config.file().get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("logging.file = " + config.file().get() + ": cannot open it (" +
                    ex.getMessage() + "); choose a writable file", ex);
            }
        }
        else
        {
            out = System.err;
        }
        final Handler handler = new FlushingHandler(out, config.file().isEmpty());
        handler.setLevel(level);
        final ServerLogging logging = new ServerLogging(handler);
        ROOT.setLevel(level);
        ROOT.setUseParentHandlers(false);
        ROOT.addHandler(handler);
        return logging;
    }

    /**
     * @param level a configured level.
     * @return its java.util.logging level.
     */
    static Level level(final LogLevel level)
    {
        switch (level)
        {
            case ERROR:
                return Level.SEVERE;
            case WARN:
                return Level.WARNING;
            case DEBUG:
                return Level.FINE;
            case TRACE:
                return Level.FINEST;
            default:
                return Level.INFO;
        }
    }

    @Override
    public void close()
    {
        ROOT.removeHandler(handler);
        ROOT.setLevel(previousLevel);
        ROOT.setUseParentHandlers(previousUseParent);
        handler.close();
    }

    /**
     * Flushes each record, so the file is current when the server dies; leaves standard error open on close.
     */
    private static final class FlushingHandler extends StreamHandler
    {
        private final boolean standardError;

        FlushingHandler(final OutputStream out, final boolean standardError)
        {
            super(out, new SimpleFormatter());
            this.standardError = standardError;
        }

        @Override
        public synchronized void publish(final LogRecord record)
        {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close()
        {
            if (standardError)
            {
                flush();
            }
            else
            {
                super.close();
            }
        }
    }
}
