package io.flowcast.codec.rtmp;

import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.flv.FlvTagHeader;
import io.flowcast.codec.flv.FlvWriter;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.MappedByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media path end to end at the wire-format level: a memory-mapped FLV file is published as RTMP messages
 * (audio, video and data on their own chunk streams, chunk size raised mid-stream), the chunk stream is decoded
 * from random TCP-like slices, and the delivered messages written back as FLV reproduce the file byte for byte.
 */
class FlvOverRtmpTest
{
    @Test
    void flvFileSurvivesRtmpChunkingByteForByte()
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(
            GoldenSession.sharedDir().resolve("media").resolve("avc-aac-20s-1500k.flv").toFile(), "flv");
        try
        {
            final UnsafeBuffer file = new UnsafeBuffer(mapped);
            final FlvReader reader = new FlvReader().wrap(file, 0, file.capacity());
            assertThat(reader.readHeader()).isZero();
            final int flags = reader.fileHeader().flags();

            final ChunkStreamEncoder encoder = new ChunkStreamEncoder(8);
            final UnsafeBuffer wire = new UnsafeBuffer(new byte[file.capacity() + 256 * 1024]);
            int length = 0;
            int tags = 0;
            while (reader.next() >= 0)
            {
                if (100 == tags)
                {
                    final UnsafeBuffer size = new UnsafeBuffer(new byte[4]);
                    ProtocolControl.encodeU32(size, 0, 4096);
                    length += encoder.encode(wire, length, wire.capacity() - length, ProtocolControl.CHUNK_STREAM_ID,
                        MessageType.SET_CHUNK_SIZE, 0, 0, size, 0, 4);
                    encoder.chunkSize(4096);
                }
                final int csid = switch (reader.tagType())
                {
                    case FlvTagHeader.TYPE_AUDIO -> 4;
                    case FlvTagHeader.TYPE_VIDEO -> 6;
                    default -> 5;
                };
                final int written = encoder.encode(wire, length, wire.capacity() - length, csid, reader.tagType(),
                    reader.timestamp(), 1, file, reader.dataOffset(), reader.dataSize());
                assertThat(written).isPositive();
                length += written;
                tags++;
            }

            final UnsafeBuffer out = new UnsafeBuffer(new byte[file.capacity()]);
            final FlvWriter writer = new FlvWriter().wrap(out, 0, out.capacity());
            writer.header(flags);
            final ChunkStreamDecoder decoder = new ChunkStreamDecoder(
                (csid, type, timestamp, streamId, buffer, offset, size) ->
                {
                    if (MessageType.SET_CHUNK_SIZE != type)
                    {
                        assertThat(streamId).isEqualTo(1);
                        assertThat(writer.tag(type, timestamp, 0, buffer, offset, size)).isTrue();
                    }
                });
            final Random random = new Random(1935);
            for (int p = 0; p < length; )
            {
                final int n = Math.min(length - p, 1 + random.nextInt(3000));
                assertThat(decoder.onBytes(wire, p, n)).isEqualTo(n);
                p += n;
            }
            assertThat(decoder.chunkSize()).isEqualTo(4096);
            assertThat(writer.position()).isEqualTo(file.capacity());
            final byte[] original = new byte[file.capacity()];
            file.getBytes(0, original);
            assertThat(out.byteArray()).isEqualTo(original);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }
}
