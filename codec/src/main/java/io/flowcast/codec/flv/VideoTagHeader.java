package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;

/**
 * The header of FLV video tag data, which is also the payload of an RTMP/TC video message (type 9).
 * <p>
 * Legacy (flv-10.1.txt E.4.3.1): {@code frameType:4 codecId:4}, then for AVC (7) and the common HEVC extension
 * (12) {@code AVCPacketType u8} and {@code CompositionTime si24}. Enhanced RTMP (Veovera "E-RTMP" v1/v2): when the
 * top bit of the first byte is set, {@code isExHeader:1 frameType:3 packetType:4} followed by a FourCC
 * ({@code avc1}, {@code hvc1}, {@code av01}, {@code vp09}); for {@code avc1}/{@code hvc1} CodedFrames a si24
 * composition time follows. Multitrack and ModEx packets are recognised but not parsed further.
 * <p>
 * Either way {@link #isKeyframe()}, {@link #isSequenceHeader()} and {@link #codec()} answer what a media server needs:
 * which messages to cache for late joiners and where a subscriber may start.
 */
public final class VideoTagHeader
{
    public static final int FRAME_KEY = 1;
    public static final int FRAME_INTER = 2;
    public static final int FRAME_DISPOSABLE_INTER = 3;
    public static final int FRAME_GENERATED_KEY = 4;
    public static final int FRAME_COMMAND = 5;

    public static final int CODEC_H263 = 2;
    public static final int CODEC_SCREEN = 3;
    public static final int CODEC_VP6 = 4;
    public static final int CODEC_VP6_ALPHA = 5;
    public static final int CODEC_SCREEN_V2 = 6;
    public static final int CODEC_AVC = 7;
    /** HEVC in the legacy header: not in flv-10.1, a widespread extension (codec ID 12). */
    public static final int CODEC_HEVC_LEGACY = 12;

    public static final int AVC_SEQUENCE_HEADER = 0;
    public static final int AVC_NALU = 1;
    public static final int AVC_END_OF_SEQUENCE = 2;

    /** Enhanced RTMP packet types. */
    public static final int EX_SEQUENCE_START = 0;
    public static final int EX_CODED_FRAMES = 1;
    public static final int EX_SEQUENCE_END = 2;
    public static final int EX_CODED_FRAMES_X = 3;
    public static final int EX_METADATA = 4;
    public static final int EX_MPEG2TS_SEQUENCE_START = 5;
    public static final int EX_MULTITRACK = 6;
    public static final int EX_MOD_EX = 7;

    public static final int FOURCC_AVC1 = fourCc('a', 'v', 'c', '1');
    public static final int FOURCC_HVC1 = fourCc('h', 'v', 'c', '1');
    public static final int FOURCC_AV01 = fourCc('a', 'v', '0', '1');
    public static final int FOURCC_VP09 = fourCc('v', 'p', '0', '9');

    /** Empty tag data, or a header longer than the data. */
    public static final int ERROR_TRUNCATED = -1;

    private static final int EX_HEADER_FLAG = 0x80;

    private boolean exHeader;
    private int frameType;
    private int codecId;
    private int packetType;
    private int fourCc;
    private int compositionTime;
    private int headerLength;

    /**
     * Decode the header of video tag data.
     *
     * @param buffer holding the data.
     * @param offset of the first byte.
     * @param length of the data.
     * @return the header length (offset of the codec payload), or {@link #ERROR_TRUNCATED}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            return ERROR_TRUNCATED;
        }
        final int b = buffer.getByte(offset) & 0xFF;
        exHeader = 0 != (b & EX_HEADER_FLAG);
        compositionTime = 0;
        if (exHeader)
        {
            frameType = (b >> 4) & 0x07;
            packetType = b & 0x0F;
            codecId = 0;
            if (EX_MULTITRACK == packetType || EX_MOD_EX == packetType)
            {
                fourCc = 0;
                headerLength = 1;
                return headerLength;
            }
            if (length < 5)
            {
                return ERROR_TRUNCATED;
            }
            fourCc = buffer.getInt(offset + 1, java.nio.ByteOrder.BIG_ENDIAN);
            headerLength = 5;
            if (EX_CODED_FRAMES == packetType && (FOURCC_AVC1 == fourCc || FOURCC_HVC1 == fourCc))
            {
                if (length < 8)
                {
                    return ERROR_TRUNCATED;
                }
                compositionTime = si24(buffer, offset + 5);
                headerLength = 8;
            }
            return headerLength;
        }

        frameType = b >> 4;
        codecId = b & 0x0F;
        packetType = -1;
        fourCc = CODEC_AVC == codecId ? FOURCC_AVC1 : CODEC_HEVC_LEGACY == codecId ? FOURCC_HVC1 : 0;
        headerLength = 1;
        if (CODEC_AVC == codecId || CODEC_HEVC_LEGACY == codecId)
        {
            if (FRAME_COMMAND == frameType)
            {
                return headerLength;
            }
            if (length < 5)
            {
                return ERROR_TRUNCATED;
            }
            packetType = buffer.getByte(offset + 1) & 0xFF;
            compositionTime = si24(buffer, offset + 2);
            headerLength = 5;
        }
        return headerLength;
    }

    private static int si24(final DirectBuffer buffer, final int offset)
    {
        return (FlvTagHeader.u24(buffer, offset) << 8) >> 8;
    }

    /**
     * @param a first character.
     * @param b second character.
     * @param c third character.
     * @param d fourth character.
     * @return the FourCC as a big-endian int.
     */
    public static int fourCc(final char a, final char b, final char c, final char d)
    {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    /**
     * @return true for the enhanced RTMP header.
     */
    public boolean exHeader()
    {
        return exHeader;
    }

    /**
     * @return frame type: 1 key, 2 inter, 3 disposable inter, 4 generated key, 5 video info/command.
     */
    public int frameType()
    {
        return frameType;
    }

    /**
     * @return the legacy codec ID (0 for enhanced headers).
     */
    public int codecId()
    {
        return codecId;
    }

    /**
     * @return AVCPacketType for legacy AVC/HEVC, the enhanced packet type, or -1.
     */
    public int packetType()
    {
        return packetType;
    }

    /**
     * @return the codec as a FourCC (legacy AVC and HEVC mapped to avc1/hvc1), or 0 if none applies.
     */
    public int codec()
    {
        return fourCc;
    }

    /**
     * @return the composition time offset (ms, signed) of AVC/HEVC coded frames.
     */
    public int compositionTime()
    {
        return compositionTime;
    }

    /**
     * @return length of the header, where the codec payload starts.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * @return true for a key frame (where a new subscriber may start decoding).
     */
    public boolean isKeyframe()
    {
        return FRAME_KEY == frameType && !isSequenceHeader();
    }

    /**
     * @return true for decoder configuration (AVCDecoderConfigurationRecord, HEVC/AV1/VP9 sequence start): a
     * server keeps the latest one for late joiners.
     */
    public boolean isSequenceHeader()
    {
        if (exHeader)
        {
            return EX_SEQUENCE_START == packetType || EX_MPEG2TS_SEQUENCE_START == packetType;
        }
        return (CODEC_AVC == codecId || CODEC_HEVC_LEGACY == codecId) && AVC_SEQUENCE_HEADER == packetType;
    }
}
