package io.flowcast.recorder.flv;

import io.flowcast.codec.flv.FlvFileHeader;
import io.flowcast.codec.flv.FlvWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An FLV file: the codec's {@link FlvWriter} frames the header and tags (FLV spec 10.1, annex E) into a direct
 * buffer, which is written to the file whenever the next tag does not fit. The header's TypeFlagsAudio /
 * TypeFlagsVideo are patched on close from the tags actually written.
 */
public final class FlvFileWriter implements FlvTagSink
{
    private static final int INITIAL_BUFFER_LENGTH = 256 * 1024;
    private static final int TAG_OVERHEAD = 11 + 4; // tag header + PreviousTagSize

    private final FileChannel channel;
    private final FlvWriter writer = new FlvWriter();
    private ByteBuffer out;
    private UnsafeBuffer outBuffer;
    private int flags;
    private long tags;

    /**
     * Create (or truncate) a file and write the FLV header.
     *
     * @param file to write.
     * @throws IOException if it cannot be created.
     */
    public FlvFileWriter(final Path file) throws IOException
    {
        channel = FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        allocate(INITIAL_BUFFER_LENGTH);
        writer.header(0); // flags patched on close
    }

    @Override
    public void writeTag(
        final int tagType, final long timestampMs, final DirectBuffer buffer, final int offset, final int length)
        throws IOException
    {
        if (length < 0 || length > FlvWriter.MAX_DATA_SIZE)
        {
            throw new IOException("FLV tag data of " + length + " bytes does not fit DataSize (UI24)");
        }
        if (!writer.tag(tagType, (int)timestampMs, 0, buffer, offset, length))
        {
            flush();
            if (out.capacity() < length + TAG_OVERHEAD)
            {
                allocate(length + TAG_OVERHEAD); // a tag larger than any before: rare, export only
            }
            writer.tag(tagType, (int)timestampMs, 0, buffer, offset, length);
        }
        flags |= tagType == TAG_AUDIO ? FlvFileHeader.FLAG_AUDIO : tagType == TAG_VIDEO ? FlvFileHeader.FLAG_VIDEO : 0;
        tags++;
    }

    /**
     * @return tags written.
     */
    public long tags()
    {
        return tags;
    }

    private void allocate(final int capacity)
    {
        out = ByteBuffer.allocateDirect(capacity);
        outBuffer = new UnsafeBuffer(out);
        writer.wrap(outBuffer, 0, capacity);
    }

    private void flush() throws IOException
    {
        out.limit(writer.position()).position(0);
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        out.clear();
        writer.wrap(outBuffer, 0, out.capacity());
    }

    @Override
    public void close() throws IOException
    {
        try (FileChannel c = channel)
        {
            flush();
            c.write(ByteBuffer.allocate(1).put(0, (byte)flags), FlvFileHeader.FLAGS_OFFSET);
        }
    }
}
