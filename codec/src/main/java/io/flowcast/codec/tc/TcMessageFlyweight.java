package io.flowcast.codec.tc;

import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * An RFC 7425 §5.1 TC message: one RTMP message in one RTMFP user message.
 * <pre>
 *  0        1        2        3        4        5 ...
 * +--------+--------+--------+--------+--------+-----------------------+
 * | type   |   timestamp, uint32 big-endian, ms |  RTMP message payload |
 * +--------+--------+--------+--------+--------+-----------------------+
 * </pre>
 * The stream ID comes from the flow's {@link TcFlowMetadata}; the length is the user message's. For the
 * AMF3-capable types 15, 16 and 17 the payload starts with a format selector byte that must be 0 (RFC 7425 §5.3.3
 * note); {@link #amfOffset()} points past it.
 */
public final class TcMessageFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int TIMESTAMP_OFFSET = 1;
    public static final int HEADER_LENGTH = 5;
    /** The only defined value of the format selector of types 15, 16, 17. */
    public static final int FORMAT_AMF = 0;

    /** Shorter than the 5-byte header (the reference ignores such messages). */
    public static final int ERROR_TOO_SHORT = -1;
    /** Type 15, 16 or 17 with no format byte, or a format other than 0 (drop the message). */
    public static final int ERROR_FORMAT = -2;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int amfOffset;

    /**
     * @param buffer holding the user message.
     * @param offset of the message.
     * @param length of the message.
     * @return 0, or {@link #ERROR_TOO_SHORT} / {@link #ERROR_FORMAT}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < HEADER_LENGTH)
        {
            return ERROR_TOO_SHORT;
        }
        amfOffset = offset + HEADER_LENGTH;
        if (MessageType.hasFormatByte(type()))
        {
            if (length < HEADER_LENGTH + 1 || FORMAT_AMF != buffer.getByte(amfOffset))
            {
                return ERROR_FORMAT;
            }
            amfOffset++;
        }
        return 0;
    }

    /**
     * @return the RTMP message type (see {@link MessageType}).
     */
    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * @return the timestamp, an unsigned 32-bit value in a long (wraps; compare with serial arithmetic).
     */
    public long timestamp()
    {
        return buffer.getInt(offset + TIMESTAMP_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @return offset of the RTMP payload (including any format byte).
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /**
     * @return length of the RTMP payload.
     */
    public int payloadLength()
    {
        return length - HEADER_LENGTH;
    }

    /**
     * @return offset of the first AMF value for command and data types (after the format byte for 15/16/17).
     */
    public int amfOffset()
    {
        return amfOffset;
    }

    /**
     * @return length of the AMF values from {@link #amfOffset()}.
     */
    public int amfLength()
    {
        return offset + length - amfOffset;
    }

    /**
     * Write a TC message header; the payload follows at {@code offset + HEADER_LENGTH}.
     *
     * @param buffer    to write into.
     * @param offset    of the message.
     * @param type      the RTMP message type.
     * @param timestamp the 32-bit timestamp.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int encodeHeader(final MutableDirectBuffer buffer, final int offset, final int type, final int timestamp)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putInt(offset + TIMESTAMP_OFFSET, timestamp, ByteOrder.BIG_ENDIAN);
        return HEADER_LENGTH;
    }
}
