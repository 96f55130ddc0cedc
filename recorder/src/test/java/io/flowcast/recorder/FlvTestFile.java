package io.flowcast.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: a strict FLV tag iterator (FLV 10.1 annex E) that fails the test on any inconsistency, including a
 * PreviousTagSize that does not match.
 */
final class FlvTestFile
{
    record Tag(int type, long timestamp, byte[] data)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Tag t && t.type == type && t.timestamp == timestamp && Arrays.equals(t.data, data);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(data) * 31 + type;
        }

        @Override
        public String toString()
        {
            return "Tag{type=" + type + ", ts=" + timestamp + ", length=" + data.length + '}';
        }
    }

    static Path sharedMedia(final String name)
    {
        final String shared = System.getProperty("flowcast.shared.dir", "../../shared");
        return Path.of(shared, "media", name);
    }

    static List<Tag> read(final Path file) throws IOException
    {
        final byte[] d = Files.readAllBytes(file);
        if (d.length < 13 || d[0] != 'F' || d[1] != 'L' || d[2] != 'V' || d[3] != 1)
        {
            throw new IOException(file + ": not an FLV file");
        }
        final int dataOffset = ui(d, 5, 4);
        if (ui(d, dataOffset, 4) != 0)
        {
            throw new IOException("PreviousTagSize0 is not 0");
        }
        final List<Tag> tags = new ArrayList<>();
        int p = dataOffset + 4;
        while (p < d.length)
        {
            if (p + 11 > d.length)
            {
                throw new IOException("truncated tag header at " + p);
            }
            final int type = d[p] & 0x1F;
            final int size = ui(d, p + 1, 3);
            final long ts = ui(d, p + 4, 3) | ((long)(d[p + 7] & 0xFF) << 24);
            if (p + 11 + size + 4 > d.length)
            {
                throw new IOException("truncated tag at " + p);
            }
            tags.add(new Tag(type, ts, Arrays.copyOfRange(d, p + 11, p + 11 + size)));
            if (ui(d, p + 11 + size, 4) != 11 + size)
            {
                throw new IOException("PreviousTagSize mismatch after tag at " + p);
            }
            p += 11 + size + 4;
        }
        return tags;
    }

    static int flags(final Path file) throws IOException
    {
        return Files.readAllBytes(file)[4] & 0xFF;
    }

    private static int ui(final byte[] d, final int offset, final int length)
    {
        int v = 0;
        for (int i = 0; i < length; i++)
        {
            v = (v << 8) | (d[offset + i] & 0xFF);
        }
        return v;
    }

    private FlvTestFile()
    {
    }
}
