package io.flowcast.codec.flv;

import io.flowcast.codec.amf.Allocations;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FlvReaderTest
{
    private static UnsafeBuffer load(final String name) throws IOException
    {
        return new UnsafeBuffer(Files.readAllBytes(GoldenSession.sharedDir().resolve("media").resolve(name)));
    }

    /**
     * Expected counts: tags by type from the files; coded frames cross-checked with
     * {@code ffprobe -show_packets} (which omits AVC/AAC configuration and end-of-sequence tags).
     */
    @ParameterizedTest
    @CsvSource({
        "avc-aac-6s.flv, 1, 152, 261, 150, 260",
        "avc-aac-20s-1500k.flv, 1, 602, 940, 600, 939"})
    void iteratesTagsOfRealFiles(
        final String name, final int script, final int video, final int audio, final int videoFrames,
        final int audioFrames) throws IOException
    {
        final UnsafeBuffer file = load(name);
        final FlvReader reader = new FlvReader().wrap(file, 0, file.capacity());
        assertThat(reader.readHeader()).isZero();
        assertThat(reader.fileHeader().version()).isEqualTo(1);
        assertThat(reader.fileHeader().hasAudio()).isTrue();
        assertThat(reader.fileHeader().hasVideo()).isTrue();

        final VideoTagHeader videoHeader = new VideoTagHeader();
        final AudioTagHeader audioHeader = new AudioTagHeader();
        final int[] counts = new int[32];
        int frames = 0;
        int aacFrames = 0;
        int keyframes = 0;
        boolean firstVideo = true;
        boolean firstAudio = true;
        int type;
        while ((type = reader.next()) >= 0)
        {
            counts[type]++;
            assertThat(reader.previousTagSize()).isEqualTo(FlvTagHeader.LENGTH + reader.dataSize());
            assertThat(reader.streamId()).isZero();
            if (FlvTagHeader.TYPE_VIDEO == type)
            {
                assertThat(videoHeader.wrap(file, reader.dataOffset(), reader.dataSize())).isEqualTo(5);
                assertThat(videoHeader.codecId()).isEqualTo(VideoTagHeader.CODEC_AVC);
                assertThat(videoHeader.codec()).isEqualTo(VideoTagHeader.FOURCC_AVC1);
                if (firstVideo)
                {
                    assertThat(videoHeader.isSequenceHeader()).isTrue();
                    assertThat(videoHeader.frameType()).isEqualTo(VideoTagHeader.FRAME_KEY);
                    assertThat(file.getByte(reader.dataOffset() + 5)).isEqualTo((byte)1); // configurationVersion
                    firstVideo = false;
                }
                frames += VideoTagHeader.AVC_NALU == videoHeader.packetType() ? 1 : 0;
                keyframes += videoHeader.isKeyframe() ? 1 : 0;
            }
            else if (FlvTagHeader.TYPE_AUDIO == type)
            {
                assertThat(audioHeader.wrap(file, reader.dataOffset(), reader.dataSize())).isEqualTo(2);
                assertThat(audioHeader.soundFormat()).isEqualTo(AudioTagHeader.FORMAT_AAC);
                if (firstAudio)
                {
                    assertThat(audioHeader.isSequenceHeader()).isTrue();
                    // AudioSpecificConfig: 5 bits object type = 2 (AAC LC)
                    assertThat((file.getByte(reader.dataOffset() + 2) & 0xF8) >> 3).isEqualTo(2);
                    firstAudio = false;
                }
                aacFrames += AudioTagHeader.AAC_RAW == audioHeader.packetType() ? 1 : 0;
            }
        }
        assertThat(type).isEqualTo(FlvReader.END);
        assertThat(reader.position()).isEqualTo(file.capacity());
        assertThat(counts[FlvTagHeader.TYPE_SCRIPT_DATA]).isEqualTo(script);
        assertThat(counts[FlvTagHeader.TYPE_VIDEO]).isEqualTo(video);
        assertThat(counts[FlvTagHeader.TYPE_AUDIO]).isEqualTo(audio);
        assertThat(frames).isEqualTo(videoFrames);
        assertThat(aacFrames).isEqualTo(audioFrames);
        assertThat(keyframes).isPositive();
    }

    @ParameterizedTest
    @CsvSource({"avc-aac-6s.flv", "avc-aac-20s-1500k.flv"})
    void roundTripsByteExact(final String name) throws IOException
    {
        final UnsafeBuffer file = load(name);
        final FlvReader reader = new FlvReader().wrap(file, 0, file.capacity());
        assertThat(reader.readHeader()).isZero();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[file.capacity()]);
        final FlvWriter writer = new FlvWriter().wrap(out, 0, out.capacity());
        assertThat(writer.header(reader.fileHeader().flags())).isTrue();
        while (reader.next() >= 0)
        {
            assertThat(writer.tag(reader.tagType(), reader.timestamp(), reader.streamId(),
                file, reader.dataOffset(), reader.dataSize())).isTrue();
        }
        assertThat(writer.position()).isEqualTo(file.capacity());
        assertThat(out.byteArray()).isEqualTo(file.byteArray());
        assertThat(writer.tag(8, 0, 0, file, 0, 1)).isFalse(); // full
    }

    @Test
    void resumesWhenBytesArriveInPieces() throws IOException
    {
        final UnsafeBuffer file = load("avc-aac-6s.flv");
        final Random random = new Random(7);
        final FlvReader reader = new FlvReader();
        int available = 0;
        int position = 0;
        int tags = 0;
        boolean header = false;
        while (position < file.capacity())
        {
            available = Math.min(file.capacity(), available + 1 + random.nextInt(9000));
            reader.wrap(file, position, available - position);
            if (!header)
            {
                final int result = reader.readHeader();
                if (FlvReader.INCOMPLETE == result)
                {
                    continue;
                }
                assertThat(result).isZero();
                header = true;
            }
            int type;
            while ((type = reader.next()) >= 0)
            {
                tags++;
            }
            assertThat(type).isIn(FlvReader.END, FlvReader.INCOMPLETE);
            position = reader.position();
        }
        assertThat(tags).isEqualTo(1 + 152 + 261);
    }

    @Test
    void detectsBrokenPreviousTagSizeAndBadHeader() throws IOException
    {
        final UnsafeBuffer file = load("avc-aac-6s.flv");
        final byte[] copy = file.byteArray().clone();
        final UnsafeBuffer broken = new UnsafeBuffer(copy);
        final FlvReader reader = new FlvReader().wrap(broken, 0, copy.length);
        reader.readHeader();
        reader.next();
        final int sizeOffset = reader.position() - 4;
        copy[sizeOffset + 3]++;
        reader.wrap(broken, 0, copy.length).readHeader();
        assertThat(reader.next()).isEqualTo(FlvReader.ERROR_PREVIOUS_TAG_SIZE);
        reader.wrap(broken, 0, copy.length).checkPreviousTagSize(false).readHeader();
        assertThat(reader.next()).isEqualTo(FlvTagHeader.TYPE_SCRIPT_DATA);

        copy[0] = 'X';
        assertThat(new FlvReader().wrap(broken, 0, copy.length).readHeader()).isEqualTo(FlvReader.ERROR_HEADER);
        assertThat(new FlvReader().wrap(broken, 0, 5).readHeader()).isEqualTo(FlvReader.INCOMPLETE);
    }

    @Test
    void recognisesEnhancedRtmpHevcAndLegacyHevc()
    {
        final VideoTagHeader header = new VideoTagHeader();
        // E-RTMP: isExHeader | keyframe(1) << 4 | SequenceStart(0), 'hvc1'
        final UnsafeBuffer seq = new UnsafeBuffer(GoldenSession.hex("90687663310102"));
        assertThat(header.wrap(seq, 0, seq.capacity())).isEqualTo(5);
        assertThat(header.exHeader()).isTrue();
        assertThat(header.codec()).isEqualTo(VideoTagHeader.FOURCC_HVC1);
        assertThat(header.isSequenceHeader()).isTrue();
        assertThat(header.isKeyframe()).isFalse();
        // CodedFrames key frame with composition time -2
        final UnsafeBuffer coded = new UnsafeBuffer(GoldenSession.hex("9168766331fffffe00"));
        assertThat(header.wrap(coded, 0, coded.capacity())).isEqualTo(8);
        assertThat(header.isKeyframe()).isTrue();
        assertThat(header.compositionTime()).isEqualTo(-2);
        // CodedFramesX inter frame: no composition time
        final UnsafeBuffer codedX = new UnsafeBuffer(GoldenSession.hex("a36876633100"));
        assertThat(header.wrap(codedX, 0, codedX.capacity())).isEqualTo(5);
        assertThat(header.frameType()).isEqualTo(VideoTagHeader.FRAME_INTER);
        // legacy codec ID 12 HEVC sequence header
        final UnsafeBuffer legacy = new UnsafeBuffer(GoldenSession.hex("1c0000000001"));
        assertThat(header.wrap(legacy, 0, legacy.capacity())).isEqualTo(5);
        assertThat(header.codec()).isEqualTo(VideoTagHeader.FOURCC_HVC1);
        assertThat(header.isSequenceHeader()).isTrue();
        // truncated
        assertThat(header.wrap(legacy, 0, 3)).isEqualTo(VideoTagHeader.ERROR_TRUNCATED);
        assertThat(header.wrap(coded, 0, 6)).isEqualTo(VideoTagHeader.ERROR_TRUNCATED);
        assertThat(header.wrap(coded, 0, 0)).isEqualTo(VideoTagHeader.ERROR_TRUNCATED);
    }

    @Test
    void iterationAllocatesNothing() throws IOException
    {
        final UnsafeBuffer file = load("avc-aac-6s.flv");
        final FlvReader reader = new FlvReader();
        final VideoTagHeader video = new VideoTagHeader();
        final long[] keyframes = new long[1];
        final long allocated = Allocations.measure(() ->
        {
            for (int i = 0; i < 50; i++)
            {
                reader.wrap(file, 0, file.capacity()).readHeader();
                while (reader.next() >= 0)
                {
                    if (FlvTagHeader.TYPE_VIDEO == reader.tagType())
                    {
                        video.wrap(file, reader.dataOffset(), reader.dataSize());
                        keyframes[0] += video.isKeyframe() ? 1 : 0;
                    }
                }
            }
        });
        assertThat(allocated).isLessThan(1024);
        assertThat(keyframes[0]).isPositive();
    }
}
