package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The three VLUs both acknowledgement chunks start with, RFC 7016 §2.3.13 and §2.3.14:
 * {@code flowID | bufferBlocksAvailable | cumulativeAck}.
 */
final class AckHeader
{
    long flowId;
    long bufferBlocksAvailable;
    long cumulativeAck;

    /**
     * @param buffer holding the chunk payload.
     * @param offset of the payload.
     * @param limit  one past the payload.
     * @return offset just past the three VLUs, or a negative {@link RtmfpError}.
     */
    int wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        int p = offset;
        int n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        flowId = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        bufferBlocksAvailable = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        cumulativeAck = Vlu.value(buffer, p);
        return p + n;
    }

    /**
     * @return bytes {@link #encode} writes for these values.
     */
    static long encodedLength(final long flowId, final long bufferBlocksAvailable, final long cumulativeAck)
    {
        return Vlu.encodedLength(flowId) + Vlu.encodedLength(bufferBlocksAvailable) + Vlu.encodedLength(cumulativeAck);
    }

    /**
     * @return bytes written.
     */
    static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long flowId,
        final long bufferBlocksAvailable,
        final long cumulativeAck)
    {
        int p = offset;
        p += Vlu.encode(buffer, p, flowId);
        p += Vlu.encode(buffer, p, bufferBlocksAvailable);
        p += Vlu.encode(buffer, p, cumulativeAck);
        return p - offset;
    }
}
