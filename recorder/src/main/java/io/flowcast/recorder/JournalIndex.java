package io.flowcast.recorder;

import org.agrona.collections.Int2ObjectHashMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a journal holds, per stream: receive time and media timestamp ranges, message counts by type and bytes.
 * Built by one pass over the journal (what {@code flowcast journal ls} prints).
 */
public final class JournalIndex
{
    /** Summary of one stream. */
    public static final class StreamSummary
    {
        private final String key;
        private final long[] countsByType = new long[256];
        private long messages;
        private long payloadBytes;
        private long recordBytes;
        private long firstReceiveNs;
        private long lastReceiveNs;
        private long firstMediaTimestamp;
        private long lastMediaTimestamp;
        private StreamSummary nextWithSameHash;

        StreamSummary(final String key)
        {
            this.key = key;
        }

        void add(final JournalMessage message)
        {
            if (messages == 0)
            {
                firstReceiveNs = message.receiveTimeNs();
                firstMediaTimestamp = message.mediaTimestamp();
            }
            messages++;
            countsByType[message.messageType()]++;
            payloadBytes += message.payloadLength();
            recordBytes += message.recordLength();
            lastReceiveNs = message.receiveTimeNs();
            lastMediaTimestamp = message.mediaTimestamp();
        }

        /** @return the stream key, {@code app/name}. */
        public String key()
        {
            return key;
        }

        /** @return messages recorded. */
        public long messages()
        {
            return messages;
        }

        /**
         * @param messageType RTMP / TC message type id.
         * @return messages of that type.
         */
        public long messages(final int messageType)
        {
            return countsByType[messageType & 0xFF];
        }

        /** @return payload bytes recorded. */
        public long payloadBytes()
        {
            return payloadBytes;
        }

        /** @return journal bytes of its records (headers and keys included, Chronicle's own 4-byte headers not). */
        public long recordBytes()
        {
            return recordBytes;
        }

        /** @return receive time of the first message, epoch ns. */
        public long firstReceiveNs()
        {
            return firstReceiveNs;
        }

        /** @return receive time of the last message, epoch ns. */
        public long lastReceiveNs()
        {
            return lastReceiveNs;
        }

        /** @return media timestamp of the first message, ms. */
        public long firstMediaTimestamp()
        {
            return firstMediaTimestamp;
        }

        /** @return media timestamp of the last message, ms. */
        public long lastMediaTimestamp()
        {
            return lastMediaTimestamp;
        }
    }

    private final Int2ObjectHashMap<StreamSummary> byHash = new Int2ObjectHashMap<>();
    private final List<StreamSummary> streams = new ArrayList<>();
    private long messages;
    private long malformedRecords;
    private long fileBytes;
    private int rollFiles;

    private JournalIndex()
    {
    }

    /**
     * Read a whole journal (to its current end) and summarise it.
     *
     * @param directory the journal directory.
     * @return the index.
     * @throws JournalException if it is not a journal.
     */
    public static JournalIndex scan(final Path directory)
    {
        try (JournalReader reader = JournalReader.open(directory))
        {
            final JournalIndex index = new JournalIndex();
            reader.toStart();
            while (reader.next(index::add))
            {
                index.messages++;
            }
            index.malformedRecords = reader.malformedRecords();
            index.measureFiles(directory);
            return index;
        }
    }

    private void add(final JournalMessage message)
    {
        final int hash = hash(message);
        StreamSummary summary = byHash.get(hash);
        while (null != summary && !message.streamKeyEquals(summary.key))
        {
            summary = summary.nextWithSameHash;
        }
        if (null == summary)
        {
            summary = new StreamSummary(message.streamKey().toString());
            summary.nextWithSameHash = byHash.get(hash);
            byHash.put(hash, summary);
            streams.add(summary);
        }
        summary.add(message);
    }

    private static int hash(final JournalMessage message)
    {
        final CharSequence key = message.streamKey();
        int h = 0;
        for (int i = 0, n = key.length(); i < n; i++)
        {
            h = 31 * h + key.charAt(i);
        }
        return h;
    }

    private void measureFiles(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (file.getFileName().toString().endsWith(JournalReader.ROLL_FILE_SUFFIX))
                {
                    rollFiles++;
                    fileBytes += Files.size(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /** @return every stream, sorted by key. */
    public List<StreamSummary> streams()
    {
        final List<StreamSummary> sorted = new ArrayList<>(streams);
        sorted.sort(Comparator.comparing(StreamSummary::key));
        return sorted;
    }

    /**
     * @param key stream key.
     * @return its summary, or null if the journal has no such stream.
     */
    public StreamSummary stream(final String key)
    {
        for (final StreamSummary s : streams)
        {
            if (s.key.equals(key))
            {
                return s;
            }
        }
        return null;
    }

    /** @return messages in the journal. */
    public long messages()
    {
        return messages;
    }

    /** @return records skipped as not valid. */
    public long malformedRecords()
    {
        return malformedRecords;
    }

    /** @return size of the roll files on disk (allocated size of sparse files may be less). */
    public long fileBytes()
    {
        return fileBytes;
    }

    /** @return number of roll files. */
    public int rollFiles()
    {
        return rollFiles;
    }
}
