package io.flowcast.cli;

import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.flv.VideoTagHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The tags of an FLV file in order, as "type@timestamp:hash" (SHA-256 of the payload, 8 bytes), split by type, for
 * comparing what a player wrote with the input. ffmpeg's AVC end-of-sequence tag is left out of the video.
 */
record FlvMessages(List<String> audio, List<String> video, List<String> data, List<String> all)
{
    static FlvMessages read(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final FlvReader reader = new FlvReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        final List<String> audio = new ArrayList<>();
        final List<String> video = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final List<String> all = new ArrayList<>();
        if (reader.readHeader() < 0)
        {
            return new FlvMessages(audio, video, data, all);
        }
        final VideoTagHeader header = new VideoTagHeader();
        final MessageDigest sha;
        try
        {
            sha = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
        while (reader.next() >= 0)
        {
            final int type = reader.tagType();
            sha.update(bytes, reader.dataOffset(), reader.dataSize());
            String key = type + "@" + reader.timestamp() + ":" + HexFormat.of().formatHex(sha.digest(), 0, 8);
            if (9 == type)
            {
                if (header.wrap(reader.buffer(), reader.dataOffset(), reader.dataSize()) >= 0)
                {
                    if (!header.exHeader() && VideoTagHeader.AVC_END_OF_SEQUENCE == header.packetType())
                    {
                        continue;
                    }
                    key += header.isSequenceHeader() ? ":config" : header.isKeyframe() ? ":key" : "";
                }
                video.add(key);
            }
            else if (8 == type)
            {
                audio.add(key);
            }
            else
            {
                data.add(key);
            }
            all.add(key);
        }
        return new FlvMessages(audio, video, data, all);
    }
}
