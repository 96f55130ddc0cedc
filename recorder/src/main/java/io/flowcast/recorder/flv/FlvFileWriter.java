package io.flowcast.recorder.flv;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal FLV file writer (FLV spec 10.1, annex E): the 9-byte header, PreviousTagSize0, then tags with their
 * 11-byte headers and trailing PreviousTagSize. The header's TypeFlagsAudio / TypeFlagsVideo are patched on close
 * from the tags actually written.
 */
public final class FlvFileWriter implements FlvTagSink
{
    /** Length of the FLV file header. */
    public static final int FILE_HEADER_LENGTH = 9;
    /** Length of a tag header. */
    public static final int TAG_HEADER_LENGTH = 11;
    /** Offset of the TypeFlags byte in the file header. */
    public static final int TYPE_FLAGS_OFFSET = 4;
    /** TypeFlagsAudio bit. */
    public static final int FLAG_AUDIO = 0x04;
    /** TypeFlagsVideo bit. */
    public static final int FLAG_VIDEO = 0x01;
    /** Largest tag DataSize (UI24). */
    public static final int MAX_DATA_SIZE = (1 << 24) - 1;

    private final FileChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
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
        out.put((byte)'F').put((byte)'L').put((byte)'V').put((byte)1).put((byte)0).putInt(FILE_HEADER_LENGTH);
        out.putInt(0); // PreviousTagSize0
    }

    @Override
    public void writeTag(
        final int tagType, final long timestampMs, final DirectBuffer buffer, final int offset, final int length)
        throws IOException
    {
        if (length < 0 || length > MAX_DATA_SIZE)
        {
            throw new IOException("FLV tag data of " + length + " bytes does not fit DataSize (UI24)");
        }
        if (out.remaining() < TAG_HEADER_LENGTH)
        {
            flush();
        }
        out.put((byte)tagType);
        putUi24(length);
        putUi24((int)(timestampMs & 0xFF_FFFF));
        out.put((byte)(timestampMs >>> 24));
        putUi24(0); // StreamID
        int done = 0;
        while (done < length)
        {
            if (!out.hasRemaining())
            {
                flush();
            }
            final int n = Math.min(out.remaining(), length - done);
            buffer.getBytes(offset + done, out, n);
            done += n;
        }
        if (out.remaining() < 4)
        {
            flush();
        }
        out.putInt(TAG_HEADER_LENGTH + length);
        flags |= tagType == TAG_AUDIO ? FLAG_AUDIO : tagType == TAG_VIDEO ? FLAG_VIDEO : 0;
        tags++;
    }

    /**
     * @return tags written.
     */
    public long tags()
    {
        return tags;
    }

    private void putUi24(final int value)
    {
        out.put((byte)(value >>> 16)).put((byte)(value >>> 8)).put((byte)value);
    }

    private void flush() throws IOException
    {
        out.flip();
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        out.clear();
    }

    @Override
    public void close() throws IOException
    {
        try (FileChannel c = channel)
        {
            flush();
            final ByteBuffer flagByte = ByteBuffer.allocate(1).put(0, (byte)flags);
            c.write(flagByte, TYPE_FLAGS_OFFSET);
        }
    }
}
