package io.flowcast.codec.flv;

import org.agrona.DirectBuffer;

/**
 * The header of FLV audio tag data, also the payload of an RTMP/TC audio message (type 8), flv-10.1.txt E.4.2.1:
 * {@code soundFormat:4 soundRate:2 soundSize:1 soundType:1}, then for AAC (10) {@code AACPacketType u8}
 * (0 AudioSpecificConfig, 1 raw frame). Enhanced RTMP audio (soundFormat 9 = ExHeader) is recognised:
 * {@code packetType:4} then a FourCC ({@code mp4a}, {@code Opus}, {@code fLaC}, {@code ac-3}, ...).
 */
public final class AudioTagHeader
{
    public static final int FORMAT_LINEAR_PCM_NATIVE = 0;
    public static final int FORMAT_ADPCM = 1;
    public static final int FORMAT_MP3 = 2;
    public static final int FORMAT_LINEAR_PCM_LE = 3;
    public static final int FORMAT_NELLYMOSER_16K = 4;
    public static final int FORMAT_NELLYMOSER_8K = 5;
    public static final int FORMAT_NELLYMOSER = 6;
    public static final int FORMAT_G711_A = 7;
    public static final int FORMAT_G711_MU = 8;
    /** Enhanced RTMP: the low nibble is a packet type and a FourCC follows. */
    public static final int FORMAT_EX_HEADER = 9;
    public static final int FORMAT_AAC = 10;
    public static final int FORMAT_SPEEX = 11;
    public static final int FORMAT_MP3_8K = 14;
    public static final int FORMAT_DEVICE_SPECIFIC = 15;

    public static final int AAC_SEQUENCE_HEADER = 0;
    public static final int AAC_RAW = 1;

    /** Enhanced audio packet type: sequence start (codec configuration). */
    public static final int EX_SEQUENCE_START = 0;
    public static final int EX_CODED_FRAMES = 1;
    public static final int EX_SEQUENCE_END = 2;
    public static final int EX_MULTICHANNEL_CONFIG = 4;
    public static final int EX_MULTITRACK = 5;
    public static final int EX_MOD_EX = 7;

    /** Empty data, or a header longer than the data. */
    public static final int ERROR_TRUNCATED = -1;

    private int soundFormat;
    private int soundRate;
    private int soundSize;
    private int soundType;
    private int packetType;
    private int fourCc;
    private int headerLength;

    /**
     * @param buffer holding the audio data.
     * @param offset of the first byte.
     * @param length of the data.
     * @return the header length, or {@link #ERROR_TRUNCATED}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            return ERROR_TRUNCATED;
        }
        final int b = buffer.getByte(offset) & 0xFF;
        soundFormat = b >> 4;
        soundRate = (b >> 2) & 0x03;
        soundSize = (b >> 1) & 0x01;
        soundType = b & 0x01;
        packetType = -1;
        fourCc = 0;
        headerLength = 1;
        if (FORMAT_AAC == soundFormat)
        {
            if (length < 2)
            {
                return ERROR_TRUNCATED;
            }
            packetType = buffer.getByte(offset + 1) & 0xFF;
            headerLength = 2;
        }
        else if (FORMAT_EX_HEADER == soundFormat)
        {
            packetType = b & 0x0F;
            if (EX_MULTITRACK == packetType || EX_MOD_EX == packetType)
            {
                return headerLength;
            }
            if (length < 5)
            {
                return ERROR_TRUNCATED;
            }
            fourCc = buffer.getInt(offset + 1, java.nio.ByteOrder.BIG_ENDIAN);
            headerLength = 5;
        }
        return headerLength;
    }

    /**
     * @return SoundFormat (10 = AAC).
     */
    public int soundFormat()
    {
        return soundFormat;
    }

    /**
     * @return SoundRate: 0 5.5 kHz, 1 11 kHz, 2 22 kHz, 3 44 kHz.
     */
    public int soundRate()
    {
        return soundRate;
    }

    /**
     * @return SoundSize: 0 8-bit, 1 16-bit.
     */
    public int soundSize()
    {
        return soundSize;
    }

    /**
     * @return SoundType: 0 mono, 1 stereo.
     */
    public int soundType()
    {
        return soundType;
    }

    /**
     * @return AACPacketType for AAC, the enhanced packet type for ExHeader, else -1.
     */
    public int packetType()
    {
        return packetType;
    }

    /**
     * @return the FourCC of an enhanced header, else 0.
     */
    public int fourCc()
    {
        return fourCc;
    }

    /**
     * @return header length: where the codec payload starts.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * @return true for codec configuration (AAC AudioSpecificConfig, enhanced sequence start), kept for late joiners.
     */
    public boolean isSequenceHeader()
    {
        return (FORMAT_AAC == soundFormat && AAC_SEQUENCE_HEADER == packetType) ||
            (FORMAT_EX_HEADER == soundFormat && EX_SEQUENCE_START == packetType);
    }
}
