package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import static io.flowcast.codec.rtmp.ChunkHeader.*;

/**
 * Reassembles RTMP messages from a chunk stream (rtmp-1.0.txt §6) fed with arbitrary slices of TCP bytes.
 * <p>
 * {@link #onBytes} takes whatever a read returned — a header may be split anywhere — and delivers each complete
 * message to the {@link ChunkMessageHandler}. Per chunk stream it keeps the previous header for header compression
 * (types 1, 2, 3) and a reassembly buffer that grows to the largest message seen and is then reused, so the steady
 * state allocates nothing. A message carried in a single chunk that lies whole in the slice is delivered in place,
 * without a copy.
 * <p>
 * It honours Set Chunk Size (type 1) and Abort Message (type 2) itself, before delivering them too.
 * Extended timestamps: a chunk whose 24-bit field is 0xFFFFFF carries a 4-byte timestamp; type 3 chunks of a chunk
 * stream whose last type 0/1/2 header used the extended field carry it too (the behaviour of Flash Player, FMS,
 * librtmp and FFmpeg). Peers that omit it (as the 2009 text says) are tolerated: when the 4 bytes differ from
 * the value the chunk stream last carried and the chunk has room for them, they are taken as payload. A type 3
 * chunk that starts a new message reuses the previous delta; after a type 0 header that delta is the type 0
 * timestamp (§6.1.2.4).
 * <p>
 * Limits bound memory against hostile peers: {@link #maxMessageLength()} per message and
 * {@link #maxChunkStreams()} chunk streams. Any violation returns a negative {@code ERROR_*} code; the decoder then
 * stays failed (the connection must be closed). It never throws on input and never reads past a slice.
 */
public final class ChunkStreamDecoder
{
    /** A type 1, 2 or 3 chunk on a chunk stream that has not had a type 0 header. */
    public static final int ERROR_NO_PREVIOUS_HEADER = -1;
    /** A message longer than the configured maximum. */
    public static final int ERROR_MESSAGE_TOO_LARGE = -2;
    /** More chunk streams than the configured maximum. */
    public static final int ERROR_TOO_MANY_CHUNK_STREAMS = -3;
    /** Set Chunk Size with 0 or a short payload. */
    public static final int ERROR_CHUNK_SIZE = -4;
    /** A type 0, 1 or 2 header on a chunk stream whose previous message is incomplete. */
    public static final int ERROR_INTERRUPTED_MESSAGE = -5;
    /** The decoder failed earlier and accepts nothing more. */
    public static final int ERROR_FAILED = -6;

    /** Default bound on message length: generous for 4K key frames. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 * 1024 * 1024;
    /** Default bound on chunk streams per connection. */
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;

    private static final int STATE_HEADER = 0;
    private static final int STATE_PAYLOAD = 1;
    private static final int MISSING = -1;

    private final ChunkMessageHandler handler;
    private final int maxMessageLength;
    private final int maxChunkStreams;
    private final Int2IntHashMap slotByChunkStreamId;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[MAX_LENGTH]);

    private final int[] chunkStreamIds;
    private final boolean[] hasHeader;
    private final boolean[] extended;
    private final int[] extendedValues;
    private final int[] timestamps;
    private final int[] deltas;
    private final int[] lengths;
    private final int[] types;
    private final int[] streamIds;
    private final int[] received;
    private final ExpandableArrayBuffer[] buffers;
    private int slotCount;

    private int chunkSize = ProtocolControl.DEFAULT_CHUNK_SIZE;
    private int state = STATE_HEADER;
    private int headerLength;
    private int slot;
    private int chunkRemaining;
    private boolean failed;
    private long bytesReceived;

    /**
     * @param handler          to receive complete messages.
     * @param maxMessageLength largest message accepted (at most {@link ChunkHeader#MAX_MESSAGE_LENGTH}).
     * @param maxChunkStreams  most chunk streams accepted on this connection.
     */
    public ChunkStreamDecoder(final ChunkMessageHandler handler, final int maxMessageLength, final int maxChunkStreams)
    {
        if (maxMessageLength < 0 || maxMessageLength > MAX_MESSAGE_LENGTH || maxChunkStreams < 1)
        {
            throw new IllegalArgumentException(
                "maxMessageLength must be 0.." + MAX_MESSAGE_LENGTH + " and maxChunkStreams positive: " +
                maxMessageLength + ", " + maxChunkStreams);
        }
        this.handler = handler;
        this.maxMessageLength = maxMessageLength;
        this.maxChunkStreams = maxChunkStreams;
        slotByChunkStreamId = new Int2IntHashMap(maxChunkStreams * 2, 0.65f, MISSING);
        chunkStreamIds = new int[maxChunkStreams];
        hasHeader = new boolean[maxChunkStreams];
        extended = new boolean[maxChunkStreams];
        extendedValues = new int[maxChunkStreams];
        timestamps = new int[maxChunkStreams];
        deltas = new int[maxChunkStreams];
        lengths = new int[maxChunkStreams];
        types = new int[maxChunkStreams];
        streamIds = new int[maxChunkStreams];
        received = new int[maxChunkStreams];
        buffers = new ExpandableArrayBuffer[maxChunkStreams];
    }

    /**
     * @param handler to receive complete messages; default limits.
     */
    public ChunkStreamDecoder(final ChunkMessageHandler handler)
    {
        this(handler, DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_CHUNK_STREAMS);
    }

    /**
     * Forget all chunk stream state, e.g. to reuse the decoder for a new connection. Buffers are kept.
     */
    public void reset()
    {
        slotByChunkStreamId.clear();
        slotCount = 0;
        java.util.Arrays.fill(hasHeader, false);
        java.util.Arrays.fill(received, 0);
        chunkSize = ProtocolControl.DEFAULT_CHUNK_SIZE;
        state = STATE_HEADER;
        headerLength = 0;
        failed = false;
        bytesReceived = 0;
    }

    /**
     * Consume a slice of the byte stream, delivering every message it completes.
     *
     * @param src    holding the bytes.
     * @param offset of the first byte.
     * @param length of the slice.
     * @return {@code length} (everything is consumed or kept), or a negative {@code ERROR_*} code.
     */
    public int onBytes(final DirectBuffer src, final int offset, final int length)
    {
        if (failed)
        {
            return ERROR_FAILED;
        }
        bytesReceived += length;
        int position = offset;
        final int end = offset + length;
        while (position < end)
        {
            if (STATE_HEADER == state)
            {
                int need;
                while (headerLength < (need = requiredHeaderLength()) && position < end)
                {
                    final int n = Math.min(need - headerLength, end - position);
                    header.putBytes(headerLength, src, position, n);
                    headerLength += n;
                    position += n;
                }
                if (need < 0)
                {
                    return fail(need);
                }
                if (headerLength < need)
                {
                    break;
                }
                final int result = onHeader();
                if (result < 0)
                {
                    return fail(result);
                }
            }
            else
            {
                final int s = slot;
                final int available = end - position;
                if (0 == received[s] && chunkRemaining == lengths[s] && available >= chunkRemaining)
                {
                    // whole message in one chunk, whole chunk in this slice: deliver in place
                    position += chunkRemaining;
                    state = STATE_HEADER;
                    final int result = deliver(s, src, position - lengths[s]);
                    if (result < 0)
                    {
                        return fail(result);
                    }
                    continue;
                }
                final int n = Math.min(available, chunkRemaining);
                buffers[s].putBytes(received[s], src, position, n);
                received[s] += n;
                chunkRemaining -= n;
                position += n;
                if (0 == chunkRemaining)
                {
                    state = STATE_HEADER;
                    if (received[s] == lengths[s])
                    {
                        received[s] = 0;
                        final int result = deliver(s, buffers[s], 0);
                        if (result < 0)
                        {
                            return fail(result);
                        }
                    }
                }
            }
        }
        return length;
    }

    /**
     * @return bytes needed for the header being assembled, as far as known from the bytes so far; negative on error.
     */
    private int requiredHeaderLength()
    {
        if (headerLength < 1)
        {
            return 1;
        }
        final int first = header.getByte(0) & 0xFF;
        final int basic = basicHeaderLength(first);
        if (headerLength < basic)
        {
            return basic;
        }
        final int fmt = first >>> 6;
        final int withMessageHeader = basic + messageHeaderLength(fmt);
        if (headerLength < withMessageHeader)
        {
            return withMessageHeader;
        }
        final boolean ext;
        if (FMT_3 == fmt)
        {
            final int s = slotByChunkStreamId.get(chunkStreamId(header, 0));
            if (MISSING == s || !hasHeader[s])
            {
                return ERROR_NO_PREVIOUS_HEADER;
            }
            ext = extended[s];
        }
        else
        {
            ext = EXTENDED_TIMESTAMP_MARK == u24(header, basic + TIMESTAMP_OFFSET);
        }
        return ext ? withMessageHeader + EXTENDED_TIMESTAMP_LENGTH : withMessageHeader;
    }

    private int onHeader()
    {
        final int first = header.getByte(0) & 0xFF;
        final int fmt = first >>> 6;
        final int basic = basicHeaderLength(first);
        final int csid = chunkStreamId(header, 0);
        final int messageHeaderLength = messageHeaderLength(fmt);
        final boolean hasExtended = headerLength > basic + messageHeaderLength;
        final int extendedValue = hasExtended ?
            header.getInt(basic + messageHeaderLength, java.nio.ByteOrder.BIG_ENDIAN) : 0;
        headerLength = 0;

        int s = slotByChunkStreamId.get(csid);
        if (MISSING == s)
        {
            if (FMT_0 != fmt)
            {
                return ERROR_NO_PREVIOUS_HEADER;
            }
            if (slotCount >= maxChunkStreams)
            {
                return ERROR_TOO_MANY_CHUNK_STREAMS;
            }
            s = slotCount++;
            slotByChunkStreamId.put(csid, s);
            chunkStreamIds[s] = csid;
        }
        else if (!hasHeader[s] && FMT_0 != fmt)
        {
            return ERROR_NO_PREVIOUS_HEADER;
        }

        if (FMT_3 != fmt && received[s] > 0)
        {
            return ERROR_INTERRUPTED_MESSAGE;
        }

        final int m = basic;
        switch (fmt)
        {
            case FMT_0:
            {
                final int field = u24(header, m + TIMESTAMP_OFFSET);
                final int length = u24(header, m + LENGTH_OFFSET);
                if (length > maxMessageLength)
                {
                    return ERROR_MESSAGE_TOO_LARGE;
                }
                timestamps[s] = hasExtended ? extendedValue : field;
                deltas[s] = timestamps[s]; // §6.1.2.4: a type 3 after type 0 uses the type 0 timestamp as delta
                extended[s] = hasExtended;
                extendedValues[s] = extendedValue;
                lengths[s] = length;
                types[s] = header.getByte(m + TYPE_OFFSET) & 0xFF;
                streamIds[s] = messageStreamId(header, m);
                hasHeader[s] = true;
                break;
            }

            case FMT_1:
            {
                final int length = u24(header, m + LENGTH_OFFSET);
                if (length > maxMessageLength)
                {
                    return ERROR_MESSAGE_TOO_LARGE;
                }
                deltas[s] = hasExtended ? extendedValue : u24(header, m + TIMESTAMP_OFFSET);
                timestamps[s] += deltas[s];
                extended[s] = hasExtended;
                extendedValues[s] = extendedValue;
                lengths[s] = length;
                types[s] = header.getByte(m + TYPE_OFFSET) & 0xFF;
                break;
            }

            case FMT_2:
                deltas[s] = hasExtended ? extendedValue : u24(header, m + TIMESTAMP_OFFSET);
                timestamps[s] += deltas[s];
                extended[s] = hasExtended;
                extendedValues[s] = extendedValue;
                break;

            default:
                if (0 == received[s])
                {
                    timestamps[s] += deltas[s]; // a new message with the previous header and delta
                }
                break;
        }

        final int length = lengths[s];
        // Some peers follow the 2009 text and omit the extended timestamp from type 3 chunks: if the 4 bytes
        // differ from the value this chunk stream last carried, and surely lie inside this chunk, they are payload.
        final boolean extendedIsPayload = FMT_3 == fmt && hasExtended && extendedValue != extendedValues[s] &&
            Math.min(chunkSize, length - received[s]) >= EXTENDED_TIMESTAMP_LENGTH;
        if (0 == received[s])
        {
            ExpandableArrayBuffer buffer = buffers[s];
            if (null == buffer)
            {
                buffer = new ExpandableArrayBuffer(Math.max(length, ProtocolControl.DEFAULT_CHUNK_SIZE));
                buffers[s] = buffer;
            }
            buffer.checkLimit(length);
        }
        slot = s;
        chunkRemaining = Math.min(chunkSize, length - received[s]);
        if (extendedIsPayload)
        {
            buffers[s].putInt(received[s], extendedValue, java.nio.ByteOrder.BIG_ENDIAN);
            received[s] += EXTENDED_TIMESTAMP_LENGTH;
            chunkRemaining -= EXTENDED_TIMESTAMP_LENGTH;
            if (0 == chunkRemaining)
            {
                state = STATE_HEADER;
                if (received[s] == length)
                {
                    received[s] = 0;
                    return deliver(s, buffers[s], 0);
                }
                return 0;
            }
        }
        if (0 == length)
        {
            state = STATE_HEADER;
            return deliver(s, buffers[s], 0);
        }
        state = STATE_PAYLOAD;
        return 0;
    }

    private int deliver(final int s, final DirectBuffer buffer, final int offset)
    {
        final int type = types[s];
        final int length = lengths[s];
        if (MessageType.SET_CHUNK_SIZE == type)
        {
            final long size = ProtocolControl.chunkSize(buffer, offset, length);
            if (size < 0)
            {
                return ERROR_CHUNK_SIZE;
            }
            chunkSize = (int)size;
        }
        else if (MessageType.ABORT == type)
        {
            final long abortedId = ProtocolControl.u32(buffer, offset, length);
            if (abortedId >= 0 && abortedId <= MAX_CHUNK_STREAM_ID)
            {
                final int aborted = slotByChunkStreamId.get((int)abortedId);
                if (MISSING != aborted && aborted != s)
                {
                    received[aborted] = 0;
                }
            }
        }
        handler.onMessage(chunkStreamIds[s], type, timestamps[s], streamIds[s], buffer, offset, length);
        return 0;
    }

    private int fail(final int error)
    {
        failed = true;
        return error;
    }

    /**
     * @return the incoming chunk size currently in force.
     */
    public int chunkSize()
    {
        return chunkSize;
    }

    /**
     * @return total bytes given to {@link #onBytes}, for Acknowledgement sequence numbers (§5.4.3).
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /**
     * @return the bound on message length.
     */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return the bound on chunk streams.
     */
    public int maxChunkStreams()
    {
        return maxChunkStreams;
    }

    /**
     * @return true after an error: the connection must be closed.
     */
    public boolean failed()
    {
        return failed;
    }
}
