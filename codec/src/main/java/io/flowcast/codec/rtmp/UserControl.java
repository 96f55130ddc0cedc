package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * User Control message (type 4) payload (rtmp-1.0.txt §6.2 / §7.1.7): event type u16 then event data. RFC 7425 adds
 * Flow Sync (34) and Set Keepalive Timers (41) for TC flows.
 * <pre>
 * 0 Stream Begin, 1 Stream EOF, 2 Stream Dry, 4 Stream Is Recorded: stream ID u32
 * 3 Set Buffer Length: stream ID u32, buffer length ms u32
 * 6 Ping Request, 7 Ping Response: timestamp u32
 * 34 Flow Sync (RFC 7425 §5.2): sync ID u32, count u32
 * 41 Set Keepalive Timers (RFC 7425 §5.3.4): server keepalive ms u32, peer keepalive ms u32
 * </pre>
 */
public final class UserControl
{
    public static final int STREAM_BEGIN = 0;
    public static final int STREAM_EOF = 1;
    public static final int STREAM_DRY = 2;
    public static final int SET_BUFFER_LENGTH = 3;
    public static final int STREAM_IS_RECORDED = 4;
    public static final int PING_REQUEST = 6;
    public static final int PING_RESPONSE = 7;
    public static final int FLOW_SYNC = 34;
    public static final int SET_KEEPALIVE_TIMERS = 41;

    public static final int EVENT_TYPE_OFFSET = 0;
    public static final int FIRST_OFFSET = 2;
    public static final int SECOND_OFFSET = 6;

    /** The payload is shorter than its event needs. */
    public static final int ERROR_TRUNCATED = -1;

    private DirectBuffer buffer;
    private int offset;
    private int eventType;

    /**
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return the event type, or {@link #ERROR_TRUNCATED} if the payload is too short for it (unknown events need
     * only the 2-byte type).
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        if (length < FIRST_OFFSET)
        {
            return ERROR_TRUNCATED;
        }
        eventType = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        return length < FIRST_OFFSET + dataLength(eventType) ? ERROR_TRUNCATED : eventType;
    }

    /**
     * @param eventType a user control event type.
     * @return length of its event data, 0 for unknown types.
     */
    public static int dataLength(final int eventType)
    {
        switch (eventType)
        {
            case STREAM_BEGIN:
            case STREAM_EOF:
            case STREAM_DRY:
            case STREAM_IS_RECORDED:
            case PING_REQUEST:
            case PING_RESPONSE:
                return 4;
            case SET_BUFFER_LENGTH:
            case FLOW_SYNC:
            case SET_KEEPALIVE_TIMERS:
                return 8;
            default:
                return 0;
        }
    }

    /**
     * @return the event type.
     */
    public int eventType()
    {
        return eventType;
    }

    /**
     * @return the first u32 of the event data: stream ID, ping timestamp, sync ID or server keepalive.
     */
    public long first()
    {
        return buffer.getInt(offset + FIRST_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @return the second u32: buffer length, sync count or peer keepalive.
     */
    public long second()
    {
        return buffer.getInt(offset + SECOND_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * Write an event with one u32 of data.
     *
     * @param buffer    to write into.
     * @param offset    of the payload.
     * @param eventType event type.
     * @param value     the u32 data.
     * @return bytes written (6).
     */
    public static int encode(final MutableDirectBuffer buffer, final int offset, final int eventType, final long value)
    {
        buffer.putShort(offset, (short)eventType, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + FIRST_OFFSET, (int)value, ByteOrder.BIG_ENDIAN);
        return SECOND_OFFSET;
    }

    /**
     * Write an event with two u32 of data (Set Buffer Length, Flow Sync, Set Keepalive Timers).
     *
     * @param buffer    to write into.
     * @param offset    of the payload.
     * @param eventType event type.
     * @param first     first u32.
     * @param second    second u32.
     * @return bytes written (10).
     */
    public static int encode(
        final MutableDirectBuffer buffer, final int offset, final int eventType, final long first, final long second)
    {
        buffer.putShort(offset, (short)eventType, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + FIRST_OFFSET, (int)first, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + SECOND_OFFSET, (int)second, ByteOrder.BIG_ENDIAN);
        return SECOND_OFFSET + 4;
    }
}
