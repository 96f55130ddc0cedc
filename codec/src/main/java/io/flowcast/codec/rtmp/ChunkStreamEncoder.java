package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;

import java.nio.ByteOrder;

import static io.flowcast.codec.rtmp.ChunkHeader.*;

/**
 * Writes RTMP messages as chunks (rtmp-1.0.txt §6.1) for the outgoing chunk size, compressing headers per chunk
 * stream as the previous message on it allows:
 * <ul>
 * <li>type 0 for the first message of a chunk stream, a different message stream ID, or a timestamp going
 * backwards;</li>
 * <li>type 1 when length or type changed (a new delta is sent);</li>
 * <li>type 2 when only the timestamp delta changed;</li>
 * <li>type 3 when length, type and delta all repeat a preceding type 1 or 2 header, and for every continuation
 * chunk. A type 3 never directly follows a type 0 as the first chunk of a message: decoders disagree on what its
 * delta is, so the encoder spends a type 2 instead.</li>
 * </ul>
 * Extended timestamps are written whenever the 24-bit field would be 0xFFFFFF or more, and repeated in every type 3
 * chunk of such a header, matching {@link ChunkStreamDecoder}. Allocates nothing once constructed.
 */
public final class ChunkStreamEncoder
{
    /** The destination is too small for the encoded message ({@link #maxEncodedLength(int)} is enough). */
    public static final int ERROR_CAPACITY = -1;
    /** Chunk stream ID outside 2..65599 or length beyond the 24-bit field. */
    public static final int ERROR_ARGUMENT = -2;
    /** More chunk streams than the encoder was sized for. */
    public static final int ERROR_TOO_MANY_CHUNK_STREAMS = -3;

    private static final int MISSING = -1;

    private final Int2IntHashMap slotByChunkStreamId;
    private final int maxChunkStreams;
    private final boolean[] deltaUsable;
    private final int[] timestamps;
    private final int[] deltas;
    private final int[] lengths;
    private final int[] types;
    private final int[] streamIds;
    private int slotCount;
    private int chunkSize = ProtocolControl.DEFAULT_CHUNK_SIZE;
    private int lastFormat = -1;

    /**
     * @param maxChunkStreams most chunk streams this encoder will use.
     */
    public ChunkStreamEncoder(final int maxChunkStreams)
    {
        this.maxChunkStreams = maxChunkStreams;
        slotByChunkStreamId = new Int2IntHashMap(maxChunkStreams * 2, 0.65f, MISSING);
        deltaUsable = new boolean[maxChunkStreams];
        timestamps = new int[maxChunkStreams];
        deltas = new int[maxChunkStreams];
        lengths = new int[maxChunkStreams];
        types = new int[maxChunkStreams];
        streamIds = new int[maxChunkStreams];
    }

    /**
     * Change the outgoing chunk size; send a Set Chunk Size message (on chunk stream 2, encoded at the old size)
     * before calling this.
     *
     * @param chunkSize 1..{@link ProtocolControl#MAX_CHUNK_SIZE}.
     */
    public void chunkSize(final int chunkSize)
    {
        if (chunkSize < 1 || chunkSize > ProtocolControl.MAX_CHUNK_SIZE)
        {
            throw new IllegalArgumentException("chunk size must be 1.." + ProtocolControl.MAX_CHUNK_SIZE + ": " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /**
     * @return the outgoing chunk size.
     */
    public int chunkSize()
    {
        return chunkSize;
    }

    /**
     * @return the chunk type chosen for the first chunk of the last message encoded (for tests and statistics).
     */
    public int lastFormat()
    {
        return lastFormat;
    }

    /**
     * Forget all chunk stream state (the next message on each chunk stream gets a type 0 header).
     */
    public void reset()
    {
        slotByChunkStreamId.clear();
        slotCount = 0;
        chunkSize = ProtocolControl.DEFAULT_CHUNK_SIZE;
    }

    /**
     * @param length of a message.
     * @return bytes enough to encode it at the current chunk size, whatever the headers.
     */
    public int maxEncodedLength(final int length)
    {
        final int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        return MAX_LENGTH + (chunks - 1) * (3 + EXTENDED_TIMESTAMP_LENGTH) + length;
    }

    /**
     * Encode one message.
     *
     * @param dst             to write chunks into.
     * @param offset          where to start writing.
     * @param capacity        bytes available.
     * @param chunkStreamId   2..65599.
     * @param typeId          message type.
     * @param timestamp       ms, 32 bits.
     * @param messageStreamId message stream ID.
     * @param src             holding the payload.
     * @param srcOffset       of the payload.
     * @param length          of the payload.
     * @return bytes written, or a negative {@code ERROR_*} code (nothing written, state unchanged).
     */
    public int encode(
        final MutableDirectBuffer dst,
        final int offset,
        final int capacity,
        final int chunkStreamId,
        final int typeId,
        final int timestamp,
        final int messageStreamId,
        final DirectBuffer src,
        final int srcOffset,
        final int length)
    {
        if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID ||
            length < 0 || length > MAX_MESSAGE_LENGTH)
        {
            return ERROR_ARGUMENT;
        }
        int s = slotByChunkStreamId.get(chunkStreamId);
        final boolean known = MISSING != s;
        if (!known && slotCount >= maxChunkStreams)
        {
            return ERROR_TOO_MANY_CHUNK_STREAMS;
        }

        final int delta = timestamp - (known ? timestamps[s] : 0);
        final int fmt;
        if (!known || streamIds[s] != messageStreamId || delta < 0)
        {
            fmt = FMT_0;
        }
        else if (lengths[s] != length || types[s] != typeId)
        {
            fmt = FMT_1;
        }
        else if (deltaUsable[s] && deltas[s] == delta)
        {
            fmt = FMT_3;
        }
        else
        {
            fmt = FMT_2;
        }

        final int field = FMT_0 == fmt ? timestamp : delta;
        final boolean ext = Integer.compareUnsigned(field, EXTENDED_TIMESTAMP_MARK) >= 0;
        final int basic = basicHeaderLengthFor(chunkStreamId);
        final int extLength = ext ? EXTENDED_TIMESTAMP_LENGTH : 0;
        final int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        final long total = (long)basic + messageHeaderLength(fmt) + extLength +
            (long)(chunks - 1) * (basic + extLength) + length;
        if (total > capacity)
        {
            return ERROR_CAPACITY;
        }

        if (!known)
        {
            s = slotCount++;
            slotByChunkStreamId.put(chunkStreamId, s);
        }

        int p = offset;
        p += encodeBasicHeader(dst, p, fmt, chunkStreamId);
        final int fieldValue = ext ? EXTENDED_TIMESTAMP_MARK : field;
        switch (fmt)
        {
            case FMT_0:
                putU24(dst, p + TIMESTAMP_OFFSET, fieldValue);
                putU24(dst, p + LENGTH_OFFSET, length);
                dst.putByte(p + TYPE_OFFSET, (byte)typeId);
                dst.putInt(p + STREAM_ID_OFFSET, messageStreamId, ByteOrder.LITTLE_ENDIAN);
                p += 11;
                break;
            case FMT_1:
                putU24(dst, p + TIMESTAMP_OFFSET, fieldValue);
                putU24(dst, p + LENGTH_OFFSET, length);
                dst.putByte(p + TYPE_OFFSET, (byte)typeId);
                p += 7;
                break;
            case FMT_2:
                putU24(dst, p + TIMESTAMP_OFFSET, fieldValue);
                p += 3;
                break;
            default:
                break;
        }
        if (ext)
        {
            dst.putInt(p, field, ByteOrder.BIG_ENDIAN);
            p += EXTENDED_TIMESTAMP_LENGTH;
        }

        int remaining = length;
        int from = srcOffset;
        while (true)
        {
            final int n = Math.min(remaining, chunkSize);
            dst.putBytes(p, src, from, n);
            p += n;
            from += n;
            remaining -= n;
            if (0 == remaining)
            {
                break;
            }
            p += encodeBasicHeader(dst, p, FMT_3, chunkStreamId);
            if (ext)
            {
                dst.putInt(p, field, ByteOrder.BIG_ENDIAN);
                p += EXTENDED_TIMESTAMP_LENGTH;
            }
        }

        timestamps[s] = timestamp;
        if (FMT_0 == fmt)
        {
            deltaUsable[s] = false;
            streamIds[s] = messageStreamId;
        }
        else
        {
            deltaUsable[s] = true;
            deltas[s] = delta;
        }
        lengths[s] = length;
        types[s] = typeId;
        lastFormat = fmt;
        return p - offset;
    }
}
