package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Protocol control message payloads (rtmp-1.0.txt §5.4), sent on chunk stream 2, message stream 0:
 * <pre>
 * 1 Set Chunk Size        | 0 | chunk size: 31 bits |
 * 2 Abort Message         | chunk stream ID u32 |
 * 3 Acknowledgement       | sequence number u32 (bytes received so far) |
 * 5 Window Ack Size       | window size u32 |
 * 6 Set Peer Bandwidth    | window size u32 | limit type u8 (0 hard, 1 soft, 2 dynamic) |
 * </pre>
 * Static accessors: each checks the payload length and returns an error code rather than over-read.
 */
public final class ProtocolControl
{
    /** Chunk stream ID reserved for protocol control messages. */
    public static final int CHUNK_STREAM_ID = 2;
    public static final int U32_LENGTH = 4;
    public static final int SET_PEER_BANDWIDTH_LENGTH = 5;

    /** Largest chunk size we send: no message is longer than the 24-bit message length. */
    public static final int MAX_CHUNK_SIZE = 0xFF_FFFF;
    /**
     * Largest chunk size a peer may set (§5.4.1: 31 bits). Decoders bound memory by the message length, never by the
     * chunk size, so any such value is safe to accept (a relay in its simple mode sets 2^24).
     */
    public static final int MAX_PEER_CHUNK_SIZE = 0x7FFF_FFFF;
    /** Default chunk size before any Set Chunk Size (§5.3.1). */
    public static final int DEFAULT_CHUNK_SIZE = 128;

    public static final int LIMIT_HARD = 0;
    public static final int LIMIT_SOFT = 1;
    public static final int LIMIT_DYNAMIC = 2;

    /** The payload is shorter than the message's fixed fields. */
    public static final long ERROR_TRUNCATED = -1;
    /** Set Chunk Size with 0 (sizes are 1 to {@link #MAX_PEER_CHUNK_SIZE}). */
    public static final long ERROR_CHUNK_SIZE = -2;

    private ProtocolControl()
    {
    }

    /**
     * Read a u32 field message: Abort (chunk stream ID), Acknowledgement (sequence number), Window Ack Size.
     *
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return the value as an unsigned 32-bit quantity, or {@link #ERROR_TRUNCATED}.
     */
    public static long u32(final DirectBuffer buffer, final int offset, final int length)
    {
        return length < U32_LENGTH ? ERROR_TRUNCATED : buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer holding the Set Chunk Size payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return the chunk size (the top bit is ignored, §5.4.1), or {@link #ERROR_TRUNCATED} /
     * {@link #ERROR_CHUNK_SIZE}.
     */
    public static long chunkSize(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < U32_LENGTH)
        {
            return ERROR_TRUNCATED;
        }
        final int size = buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0x7FFF_FFFF;
        return size < 1 ? ERROR_CHUNK_SIZE : size;
    }

    /**
     * @param buffer holding a Set Peer Bandwidth payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return the limit type, or {@link #ERROR_TRUNCATED}.
     */
    public static int peerBandwidthLimitType(final DirectBuffer buffer, final int offset, final int length)
    {
        return length < SET_PEER_BANDWIDTH_LENGTH ? (int)ERROR_TRUNCATED : buffer.getByte(offset + 4) & 0xFF;
    }

    /**
     * Write a u32 payload (Set Chunk Size, Abort, Acknowledgement, Window Ack Size).
     *
     * @param buffer to write into.
     * @param offset of the payload.
     * @param value  the field.
     * @return {@link #U32_LENGTH}.
     */
    public static int encodeU32(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        buffer.putInt(offset, (int)value, ByteOrder.BIG_ENDIAN);
        return U32_LENGTH;
    }

    /**
     * @param buffer     to write into.
     * @param offset     of the payload.
     * @param windowSize acknowledgement window in bytes.
     * @param limitType  {@link #LIMIT_HARD}, {@link #LIMIT_SOFT} or {@link #LIMIT_DYNAMIC}.
     * @return {@link #SET_PEER_BANDWIDTH_LENGTH}.
     */
    public static int encodeSetPeerBandwidth(
        final MutableDirectBuffer buffer, final int offset, final long windowSize, final int limitType)
    {
        buffer.putInt(offset, (int)windowSize, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 4, (byte)limitType);
        return SET_PEER_BANDWIDTH_LENGTH;
    }
}
