package io.flowcast.recorder;

import io.flowcast.recorder.flv.FlvTagSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;

/**
 * Exports one recorded stream as FLV tags: audio (8) and video (9) messages as they are, AMF0 data messages (18) as
 * script data tags with a leading {@code @setDataFrame} name stripped (so the tag starts with {@code onMetaData}, as
 * ffmpeg expects); commands and AMF3 messages are not media and are skipped. Timestamps are rebased so that the
 * first exported tag is at 0.
 * <p>
 * The range is by receive time ({@code [from, to]}, epoch ms, inclusive). When it starts mid-stream, the last
 * metadata and audio/video decoder configurations (AAC / AVC sequence headers) received before {@code from} are
 * written first at timestamp 0, and video starts at the first key frame, so the file decodes on its own.
 */
public final class FlvExporter
{
    /** AMF0 string "@setDataFrame" as it starts a data message: marker 0x02, u16 length 13, the name. */
    private static final byte[] SET_DATA_FRAME =
        {0x02, 0x00, 0x0D, '@', 's', 'e', 't', 'D', 'a', 't', 'a', 'F', 'r', 'a', 'm', 'e'};

    /** What an export wrote. */
    public static final class Result
    {
        long audioTags;
        long videoTags;
        long dataTags;
        long skipped;
        long firstReceiveNs = Long.MIN_VALUE;
        long lastReceiveNs = Long.MIN_VALUE;

        /** @return tags written. */
        public long tags()
        {
            return audioTags + videoTags + dataTags;
        }

        /** @return audio tags written. */
        public long audioTags()
        {
            return audioTags;
        }

        /** @return video tags written. */
        public long videoTags()
        {
            return videoTags;
        }

        /** @return script data tags written. */
        public long dataTags()
        {
            return dataTags;
        }

        /** @return messages of the stream not exported (commands, AMF3, video before the first key frame). */
        public long skipped()
        {
            return skipped;
        }

        /** @return receive time of the first exported message, epoch ns, or {@link Long#MIN_VALUE}. */
        public long firstReceiveNs()
        {
            return firstReceiveNs;
        }

        /** @return receive time of the last exported message, epoch ns, or {@link Long#MIN_VALUE}. */
        public long lastReceiveNs()
        {
            return lastReceiveNs;
        }
    }

    private final FlvTagSink sink;
    private final String streamKey;
    private final long fromNs;
    private final long toNs;
    private final Result result = new Result();
    private byte[] carriedMetadata;
    private byte[] carriedAudioConfig;
    private byte[] carriedVideoConfig;
    private boolean started;
    private boolean videoStarted;
    private long baseTimestamp;
    private boolean done;

    private FlvExporter(final FlvTagSink sink, final String streamKey, final long fromMs, final long toMs)
    {
        this.sink = sink;
        this.streamKey = streamKey;
        this.fromNs = fromMs == Long.MIN_VALUE ? Long.MIN_VALUE : fromMs * 1_000_000L;
        this.toNs = toMs == Long.MAX_VALUE ? Long.MAX_VALUE : toMs * 1_000_000L + 999_999L;
        this.videoStarted = fromMs == Long.MIN_VALUE;
    }

    /**
     * Export a stream from a reader (read from its start to the journal's current end).
     *
     * @param reader    the journal, positioned anywhere (it is rewound).
     * @param streamKey exact stream key, {@code app/name}.
     * @param fromMs    first receive time, epoch ms, or {@link Long#MIN_VALUE}.
     * @param toMs      last receive time, epoch ms, or {@link Long#MAX_VALUE}.
     * @param sink      where the tags go; not closed here.
     * @return what was written.
     * @throws IOException if the sink fails.
     */
    public static Result export(
        final JournalReader reader, final String streamKey, final long fromMs, final long toMs, final FlvTagSink sink)
        throws IOException
    {
        final FlvExporter exporter = new FlvExporter(sink, streamKey, fromMs, toMs);
        reader.streamFilter(null).toStart();
        try
        {
            while (!exporter.done && reader.next(exporter::onMessage))
            {
                // until the end of the journal or past 'to'
            }
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
        return exporter.result;
    }

    private void onMessage(final JournalMessage message)
    {
        if (!message.streamKeyEquals(streamKey))
        {
            return;
        }
        final long receiveNs = message.receiveTimeNs();
        if (receiveNs > toNs)
        {
            done = true;
            return;
        }
        final int type = message.messageType();
        final DirectBuffer buffer = message.buffer();
        int offset = message.payloadOffset();
        int length = message.payloadLength();
        if (type == JournalRecord.TYPE_DATA_AMF0 && startsWithSetDataFrame(buffer, offset, length))
        {
            offset += SET_DATA_FRAME.length;
            length -= SET_DATA_FRAME.length;
        }
        if (type != JournalRecord.TYPE_AUDIO && type != JournalRecord.TYPE_VIDEO &&
            type != JournalRecord.TYPE_DATA_AMF0)
        {
            result.skipped++;
            return;
        }
        if (receiveNs < fromNs)
        {
            carry(type, buffer, offset, length);
            return;
        }
        try
        {
            if (!started)
            {
                started = true;
                baseTimestamp = message.mediaTimestamp();
                result.firstReceiveNs = receiveNs;
                writeCarried();
            }
            if (type == JournalRecord.TYPE_VIDEO && !videoStarted)
            {
                if (!isVideoKeyFrame(buffer, offset, length))
                {
                    result.skipped++;
                    return;
                }
                videoStarted = true;
            }
            write(type, (message.mediaTimestamp() - baseTimestamp) & 0xFFFF_FFFFL, buffer, offset, length);
            result.lastReceiveNs = receiveNs;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void write(final int type, final long timestamp, final DirectBuffer buffer, final int offset,
        final int length) throws IOException
    {
        sink.writeTag(type, timestamp, buffer, offset, length);
        switch (type)
        {
            case JournalRecord.TYPE_AUDIO -> result.audioTags++;
            case JournalRecord.TYPE_VIDEO -> result.videoTags++;
            default -> result.dataTags++;
        }
    }

    private void carry(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (type == JournalRecord.TYPE_DATA_AMF0 && isOnMetaData(buffer, offset, length))
        {
            carriedMetadata = copy(buffer, offset, length);
        }
        else if (type == JournalRecord.TYPE_AUDIO && length >= 2 &&
            ((buffer.getByte(offset) & 0xF0) >> 4) == 10 && buffer.getByte(offset + 1) == 0)
        {
            carriedAudioConfig = copy(buffer, offset, length); // AAC sequence header (AACPacketType 0)
        }
        else if (type == JournalRecord.TYPE_VIDEO && length >= 2 &&
            (buffer.getByte(offset) & 0x0F) == 7 && buffer.getByte(offset + 1) == 0)
        {
            carriedVideoConfig = copy(buffer, offset, length); // AVC sequence header (AVCPacketType 0)
        }
    }

    private void writeCarried() throws IOException
    {
        if (null != carriedMetadata)
        {
            write(JournalRecord.TYPE_DATA_AMF0, 0, new UnsafeBuffer(carriedMetadata), 0, carriedMetadata.length);
        }
        if (null != carriedVideoConfig)
        {
            write(JournalRecord.TYPE_VIDEO, 0, new UnsafeBuffer(carriedVideoConfig), 0, carriedVideoConfig.length);
        }
        if (null != carriedAudioConfig)
        {
            write(JournalRecord.TYPE_AUDIO, 0, new UnsafeBuffer(carriedAudioConfig), 0, carriedAudioConfig.length);
        }
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return true if the video payload is a key frame (FLV VIDEODATA FrameType 1).
     */
    static boolean isVideoKeyFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= 1 && ((buffer.getByte(offset) & 0xF0) >> 4) == 1;
    }

    static boolean startsWithSetDataFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < SET_DATA_FRAME.length)
        {
            return false;
        }
        for (int i = 0; i < SET_DATA_FRAME.length; i++)
        {
            if (buffer.getByte(offset + i) != SET_DATA_FRAME[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isOnMetaData(final DirectBuffer buffer, final int offset, final int length)
    {
        final String name = "onMetaData";
        if (length < 3 + name.length() || buffer.getByte(offset) != 0x02 ||
            buffer.getShort(offset + 1, ByteOrder.BIG_ENDIAN) != name.length())
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (buffer.getByte(offset + 3 + i) != name.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
