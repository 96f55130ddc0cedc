package io.flowcast.codec.tc;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The RFC 7425 §5.1.1 value of a TC flow's User's Per-Flow Metadata option (RFC 7016 §2.3.11.1.1):
 * <pre>
 * +------+------+-------+------------------+
 * | 0x54 | 0x43 | flags | stream ID: VLU   |
 * +------+------+-------+------------------+
 * flags: 0x04 stream ID present (must be set), 0x01 receive intent: 0 sequence order, 1 network order
 * </pre>
 * e.g. {@code 54 43 04 01}: NetStream 1, delivered in sequence. Trailing bytes after the VLU are ignored, as the
 * reference implementation does; other flag bits are ignored on receipt and sent as 0.
 */
public final class TcFlowMetadata
{
    public static final byte SIGNATURE_0 = 'T';
    public static final byte SIGNATURE_1 = 'C';
    public static final int FLAGS_OFFSET = 2;
    public static final int STREAM_ID_OFFSET = 3;
    /** Flag: the stream ID VLU is present (§5.1.1: must be set). */
    public static final int FLAG_STREAM_ID_PRESENT = 0x04;
    /** Flag: receive intent, network arrival order acceptable (clear: original sequence order). */
    public static final int FLAG_RECEIVE_INTENT_NETWORK = 0x01;
    /** Largest stream ID accepted: RTMP stream IDs are 32-bit. */
    public static final long MAX_STREAM_ID = 0xFFFF_FFFFL;

    /** Not a TC flow: shorter than 3 bytes or not starting with 'T' 'C'. */
    public static final int ERROR_NOT_TC = -1;
    /** The stream-ID-present flag is clear. */
    public static final int ERROR_NO_STREAM_ID = -2;
    /** The stream ID VLU is truncated or above {@link #MAX_STREAM_ID}. */
    public static final int ERROR_STREAM_ID = -3;

    private int flags;
    private long streamId;
    private int length;

    /**
     * Decode a metadata option value.
     *
     * @param buffer holding the value.
     * @param offset of the value.
     * @param length of the value.
     * @return 0 if this is TC metadata, else an {@code ERROR_*} code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < STREAM_ID_OFFSET + 1 ||
            SIGNATURE_0 != buffer.getByte(offset) || SIGNATURE_1 != buffer.getByte(offset + 1))
        {
            return ERROR_NOT_TC;
        }
        flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        if (0 == (flags & FLAG_STREAM_ID_PRESENT))
        {
            return ERROR_NO_STREAM_ID;
        }
        final int vluLength = Vlu.length(buffer, offset + STREAM_ID_OFFSET, offset + length);
        if (vluLength < 0)
        {
            return ERROR_STREAM_ID;
        }
        final long value = Vlu.value(buffer, offset + STREAM_ID_OFFSET);
        if (value < 0 || value > MAX_STREAM_ID)
        {
            return ERROR_STREAM_ID;
        }
        streamId = value;
        this.length = STREAM_ID_OFFSET + vluLength;
        return 0;
    }

    /**
     * @return the flags byte.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return the RTMP message stream ID of the flow (0 for the NetConnection control flow).
     */
    public long streamId()
    {
        return streamId;
    }

    /**
     * @return true if the sender allows delivery in network arrival order (receive intent bit set).
     */
    public boolean networkOrder()
    {
        return 0 != (flags & FLAG_RECEIVE_INTENT_NETWORK);
    }

    /**
     * @return bytes used by the signature, flags and VLU (trailing bytes excluded).
     */
    public int encodedLength()
    {
        return length;
    }

    /**
     * @param streamId of the flow.
     * @return length of the encoded metadata value.
     */
    public static int encodedLength(final long streamId)
    {
        return STREAM_ID_OFFSET + Vlu.encodedLength(streamId);
    }

    /**
     * Write a metadata value; the caller has checked capacity with {@link #encodedLength(long)}.
     *
     * @param buffer       to write into.
     * @param offset       of the value.
     * @param streamId     of the flow.
     * @param networkOrder true to set the receive intent bit.
     * @return bytes written.
     */
    public static int encode(
        final MutableDirectBuffer buffer, final int offset, final long streamId, final boolean networkOrder)
    {
        buffer.putByte(offset, SIGNATURE_0);
        buffer.putByte(offset + 1, SIGNATURE_1);
        buffer.putByte(offset + FLAGS_OFFSET,
            (byte)(FLAG_STREAM_ID_PRESENT | (networkOrder ? FLAG_RECEIVE_INTENT_NETWORK : 0)));
        return STREAM_ID_OFFSET + Vlu.encode(buffer, offset + STREAM_ID_OFFSET, streamId);
    }
}
