package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The two small per-flow control chunks: Buffer Probe (0x18, RFC 7016 §2.3.15: {@code flowID VLU}) and Flow Exception
 * Report (0x5e, §2.3.16: {@code flowID VLU | exception VLU}). Bytes after the last field are ignored.
 * Reuse one instance; nothing is allocated.
 */
public final class FlowChunk
{
    private int type;
    private long flowId;
    private long exception;

    /**
     * @param decoder positioned on a Buffer Probe or Flow Exception Report chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final PacketDecoder decoder)
    {
        return wrap(decoder.chunkType(), decoder.buffer(), decoder.payloadOffset(), decoder.payloadLength());
    }

    /**
     * @param type   {@link ChunkType#BUFFER_PROBE} or {@link ChunkType#FLOW_EXCEPTION_REPORT}.
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrap(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (type != ChunkType.BUFFER_PROBE && type != ChunkType.FLOW_EXCEPTION_REPORT)
        {
            return RtmfpError.WRONG_CHUNK_TYPE;
        }
        this.type = type;
        this.exception = 0;
        final int limit = offset + length;
        int n = Vlu.length(buffer, offset, limit);
        if (n < 0)
        {
            return n;
        }
        flowId = Vlu.value(buffer, offset);
        if (ChunkType.FLOW_EXCEPTION_REPORT == type)
        {
            final int p = offset + n;
            n = Vlu.length(buffer, p, limit);
            if (n < 0)
            {
                return n;
            }
            exception = Vlu.value(buffer, p);
        }
        return RtmfpError.OK;
    }

    /**
     * @return the chunk type wrapped.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return flow ID.
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return the exception code (Flow Exception Report; 0 for Buffer Probe).
     */
    public long exception()
    {
        return exception;
    }

    /**
     * Write a Buffer Probe chunk.
     *
     * @param buffer to write into.
     * @param offset of the chunk header.
     * @param limit  one past the last byte the chunk may occupy.
     * @param flowId flow ID.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encodeBufferProbe(
        final MutableDirectBuffer buffer, final int offset, final int limit, final long flowId)
    {
        final int payloadLength = Vlu.encodedLength(flowId);
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.BUFFER_PROBE, payloadLength);
        p += Vlu.encode(buffer, p, flowId);
        return p - offset;
    }

    /**
     * Write a Flow Exception Report chunk.
     *
     * @param buffer    to write into.
     * @param offset    of the chunk header.
     * @param limit     one past the last byte the chunk may occupy.
     * @param flowId    flow ID.
     * @param exception application exception code (0 when the RTMFP rejects a flow itself).
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encodeFlowExceptionReport(
        final MutableDirectBuffer buffer, final int offset, final int limit, final long flowId, final long exception)
    {
        final int payloadLength = Vlu.encodedLength(flowId) + Vlu.encodedLength(exception);
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.FLOW_EXCEPTION_REPORT, payloadLength);
        p += Vlu.encode(buffer, p, flowId);
        p += Vlu.encode(buffer, p, exception);
        return p - offset;
    }
}
