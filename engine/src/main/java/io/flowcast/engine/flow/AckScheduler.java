package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointCounters;

import io.flowcast.codec.Vlu;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.RtmfpError;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * When and how a session's receiving flows acknowledge, RFC 7016 §3.6.3.4: the flows that should acknowledge,
 * delayed acknowledgement (200 ms), obligatory acknowledgement (every second packet with user data, §3.6.3.2, or
 * at once when a flow asks), and the more compact of a bitmap and a ranges acknowledgement, the first of a packet
 * truncated rather than not sent. Agent thread only.
 */
final class AckScheduler
{
    static final long DELAYED_ACK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    static final int MAX_ACK_RANGES = 128;
    static final int MAX_BITMAP_BYTES = 512;

    private final SessionFlows flows;
    private final EndpointCounters counters;
    private ReceiveFlow[] ackList = new ReceiveFlow[4];
    private int ackCount;
    private boolean ackNow;
    private long delayedAckNs = SessionFlows.NONE;
    private int rxDataPackets;
    private final long[] ranges = new long[2 * MAX_ACK_RANGES];
    private final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[MAX_BITMAP_BYTES]);

    AckScheduler(final SessionFlows flows, final EndpointCounters counters)
    {
        this.flows = flows;
        this.counters = counters;
    }

    /**
     * @param flow to acknowledge in the next packet this session sends.
     */
    void ackNow(final ReceiveFlow flow)
    {
        list(flow);
        ackNow = true;
        flows.requestFlush();
    }

    /**
     * @param flow to acknowledge within {@link #DELAYED_ACK_NS}, or with data sent before.
     * @param nowNs now.
     */
    void ackLater(final ReceiveFlow flow, final long nowNs)
    {
        list(flow);
        if (SessionFlows.NONE == delayedAckNs)
        {
            delayedAckNs = nowNs + DELAYED_ACK_NS;
            flows.ensureTimer(delayedAckNs);
        }
    }

    /**
     * §3.6.3.2: a packet with user data arrived.
     *
     * @return true when it obliges an acknowledgement at once (every second such packet).
     */
    boolean onUserDataPacket()
    {
        if (++rxDataPackets >= 2)
        {
            ackNow = true;
            return true;
        }
        return false;
    }

    /**
     * @return true when acknowledgements must go out now.
     */
    boolean due()
    {
        return ackNow && ackCount > 0;
    }

    /**
     * @return true when some flow should acknowledge (they ride along with data).
     */
    boolean pending()
    {
        return ackCount > 0;
    }

    /**
     * Nothing else to send: an obligation with no flow left to acknowledge is met.
     */
    void idle()
    {
        if (ackNow && 0 == ackCount)
        {
            done();
        }
    }

    /**
     * @return the delayed acknowledgement's deadline, or {@link SessionFlows#NONE}.
     */
    long alarmNs()
    {
        return delayedAckNs;
    }

    /**
     * @param nowNs now.
     * @return true when the delayed acknowledgement is due now (flush).
     */
    boolean onTimer(final long nowNs)
    {
        if (SessionFlows.NONE != delayedAckNs && nowNs - delayedAckNs >= 0)
        {
            delayedAckNs = SessionFlows.NONE;
            if (ackCount > 0)
            {
                ackNow = true;
                return true;
            }
        }
        return false;
    }

    /**
     * @param flow a flow released: it acknowledges no more.
     */
    void unlist(final ReceiveFlow flow)
    {
        final int index = flow.ackIndex();
        if (index >= 0)
        {
            final ReceiveFlow last = ackList[--ackCount];
            ackList[index] = last;
            last.ackIndex(index);
            ackList[ackCount] = null;
            flow.ackIndex(-1);
        }
    }

    /**
     * The session closed.
     */
    void clear()
    {
        ackCount = 0;
    }

    private void list(final ReceiveFlow flow)
    {
        if (flow.ackIndex() < 0)
        {
            if (ackCount == ackList.length)
            {
                ackList = java.util.Arrays.copyOf(ackList, ackCount * 2);
            }
            flow.ackIndex(ackCount);
            ackList[ackCount++] = flow;
        }
    }

    private void done()
    {
        ackNow = false;
        rxDataPackets = 0;
        delayedAckNs = SessionFlows.NONE;
    }

    /**
     * §3.6.3.4.5–6: acknowledgements for the flows that should ack; the first may be truncated when the packet is
     * mainly for it.
     *
     * @param assembler  the packet.
     * @param mainlyAcks true when no data goes in this packet.
     */
    void append(final PacketAssembler assembler, final boolean mainlyAcks)
    {
        boolean first = true;
        while (ackCount > 0)
        {
            final ReceiveFlow flow = ackList[ackCount - 1];
            final int start = assembler.position();
            final int startChunks = assembler.chunkCount();
            if (ReceiveFlow.RF_REJECTED == flow.state() &&
                assembler.appendFlowExceptionReport(flow.flowId(), flow.exceptionCode()) <= 0)
            {
                break;
            }
            final long blocks = flow.bufferBlocksAvailable();
            final int written = appendAck(assembler, flow, blocks, first && mainlyAcks);
            if (written <= 0)
            {
                // does not fit: leave it (and anything already written for it) for the next packet
                assembler.rewind(start, startChunks);
                break;
            }
            first = false;
            flow.acknowledged(blocks);
            unlist(flow);
            counters.acksSent.incrementRelease();
        }
        if (0 == ackCount)
        {
            done();
        }
    }

    /**
     * §3.6.3.4.3: the more compact of a bitmap and a ranges acknowledgement of the flow's SEQUENCE_SET.
     */
    private int appendAck(
        final PacketAssembler assembler, final ReceiveFlow flow, final long blocks, final boolean mayTruncate)
    {
        final long csn = flow.cumulativeSequenceNumber();
        final long highest = flow.highestSeen();
        int rangeCount = 0;
        long rangeBytes = 0;
        long cursor = csn;
        boolean rangesTruncated = false;
        if (highest > csn + 1)
        {
            long s = csn + 2;
            while (s <= highest)
            {
                if (!flow.received(s))
                {
                    s++;
                    continue;
                }
                final long from = s;
                while (s + 1 <= highest && flow.received(s + 1))
                {
                    s++;
                }
                if (rangeCount == MAX_ACK_RANGES)
                {
                    rangesTruncated = true;
                    break;
                }
                ranges[2 * rangeCount] = from;
                ranges[2 * rangeCount + 1] = s;
                rangeBytes += Vlu.encodedLength(from - cursor - 2) + Vlu.encodedLength(s - from);
                cursor = s;
                rangeCount++;
                s++;
            }
        }
        final long bitmapBits = highest > csn + 1 ? highest - csn - 1 : 0;
        final long bitmapBytes = (bitmapBits + 7) / 8;
        if (!rangesTruncated && bitmapBytes <= MAX_BITMAP_BYTES && bitmapBytes < rangeBytes && rangeCount > 0)
        {
            bitmap.setMemory(0, (int)bitmapBytes, (byte)0);
            for (int r = 0; r < rangeCount; r++)
            {
                for (long sn = ranges[2 * r]; sn <= ranges[2 * r + 1]; sn++)
                {
                    final long bit = sn - csn - 2;
                    final int index = (int)(bit >> 3);
                    bitmap.putByte(index, (byte)(bitmap.getByte(index) | (1 << (bit & 7))));
                }
            }
            final int written =
                assembler.appendDataAckBitmap(flow.flowId(), blocks, csn, bitmap, 0, (int)bitmapBytes);
            if (written > 0 || !mayTruncate)
            {
                return written;
            }
        }
        int count = rangeCount;
        while (true)
        {
            final int written = assembler.appendDataAckRanges(flow.flowId(), blocks, csn, ranges, count);
            if (written > 0 || !mayTruncate || 0 == count)
            {
                return written == RtmfpError.NO_SPACE ? 0 : written;
            }
            count = count / 2; // §3.6.3.4.2: truncate the first acknowledgement of a packet rather than not send it
        }
    }
}
