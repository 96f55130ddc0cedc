package io.flowcast.engine.rtmp;

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
 * The audio and video tags of an FLV file, as (type, timestamp, payload hash), for comparing what a player wrote with
 * what the publisher sent. Video end-of-sequence tags (which ffmpeg's FLV muxer appends) are left out.
 */
record FlvTags(List<Tag> tags)
{
    record Tag(int type, int timestamp, String hash, boolean keyframe, boolean config)
    {
        String key(final int base)
        {
            return type + "@" + (timestamp - base) + ":" + hash;
        }
    }

    static FlvTags read(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final FlvReader reader = new FlvReader().wrap(new UnsafeBuffer(bytes), 0, bytes.length);
        final List<Tag> tags = new ArrayList<>();
        if (reader.readHeader() < 0)
        {
            return new FlvTags(tags);
        }
        final VideoTagHeader video = new VideoTagHeader();
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
            if (8 != type && 9 != type)
            {
                continue;
            }
            boolean keyframe = false;
            boolean config = false;
            if (9 == type)
            {
                if (video.wrap(reader.buffer(), reader.dataOffset(), reader.dataSize()) < 0)
                {
                    continue;
                }
                if (!video.exHeader() && VideoTagHeader.AVC_END_OF_SEQUENCE == video.packetType())
                {
                    continue;
                }
                keyframe = video.isKeyframe();
                config = video.isSequenceHeader();
            }
            else
            {
                config = reader.dataSize() > 1 && 0 == reader.buffer().getByte(reader.dataOffset() + 1) &&
                    (reader.buffer().getByte(reader.dataOffset()) & 0xF0) == 0xA0;
            }
            sha.update(bytes, reader.dataOffset(), reader.dataSize());
            tags.add(new Tag(type, reader.timestamp(), HexFormat.of().formatHex(sha.digest(), 0, 8), keyframe, config));
        }
        return new FlvTags(tags);
    }

    int firstKeyframeTimestamp()
    {
        for (final Tag tag : tags)
        {
            if (tag.keyframe())
            {
                return tag.timestamp();
            }
        }
        return 0;
    }

    /**
     * @return "type@timestamp-relative-to-first-keyframe:hash" for every frame from the first keyframe on (not the
     * decoder configurations).
     */
    List<String> framesFromFirstKeyframe()
    {
        final int base = firstKeyframeTimestamp();
        final List<String> keys = new ArrayList<>();
        boolean started = false;
        for (final Tag tag : tags)
        {
            started |= tag.keyframe();
            if (started && !tag.config())
            {
                keys.add(tag.key(base));
            }
        }
        return keys;
    }

    List<String> configHashes()
    {
        final List<String> keys = new ArrayList<>();
        for (final Tag tag : tags)
        {
            if (tag.config())
            {
                keys.add(tag.type() + ":" + tag.hash());
            }
        }
        return keys;
    }
}
