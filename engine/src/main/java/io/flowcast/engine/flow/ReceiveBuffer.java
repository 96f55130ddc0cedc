package io.flowcast.engine.flow;

import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.engine.session.Session;

import org.HdrHistogram.Recorder;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A receiving flow's state and its RECV_BUFFER (RFC 7016 §3.6.3): the SEQUENCE_SET as a cumulative sequence number
 * (CSN) plus a window of per-sequence-number slots above it, reassembly and ordered or unordered delivery, the
 * forward sequence number (§3.6.3.2), the advertised buffer (§3.6.3.5) and completion (§3.6.3.8). Fragments that cannot
 * be delivered at once go into a {@link BlockStore}. {@link ReceiveFlow} is the application's side. Agent thread only.
 */
abstract class ReceiveBuffer
{
    /** §3.6.3 states. */
    public static final int RF_OPEN = 0;
    /** Rejected by us (Flow Exception Report sent with every ack) until the sender finishes. */
    public static final int RF_REJECTED = 1;
    /** Every sequence number up to the final one received. */
    public static final int RF_COMPLETE_LINGER = 2;
    /** Released. */
    public static final int RF_CLOSED = 3;

    static final int BLOCK = BlockStore.BLOCK;
    static final int FRA_BITS = 0x03;
    static final int RECEIVED = 0x10;
    static final int DATA = 0x20;
    static final int DELIVERED = 0x40;
    static final int INITIAL_SLOTS = 64;

    final Session session;
    final SessionFlows flows;
    final long flowId;
    final byte[] metadata;
    final long returnFlowId;
    final SendFlow association;
    int state = RF_OPEN;
    long exceptionCode;
    long prevRwnd = -1;
    final long bufferCapacity;
    long bufferedBytes;
    long finalSn = -1;
    long csn;
    long base = 1;
    long highestSeen;
    long segmentScanBase = -1;
    long segmentScanSn;
    boolean ordered = true;
    boolean paused;
    boolean gapPending;
    boolean closedNotified;
    long lingerUntilNs;
    int ackIndex = -1;
    FlowListener listener;
    Object attachment;

    // slots for sequence numbers [base, base + capacity)
    final int maxSlots;
    int slotMask;
    byte[] slotFlags;
    int[] slotBlock;
    int[] slotLength;
    long[] slotArrivalNs;

    /** The RECV_BUFFER's bytes of fragments not delivered at once. */
    final BlockStore store;

    // measurement
    long messagesDelivered;
    long bytesDelivered;
    long fragmentsReceived;
    long duplicates;
    long gaps;
    long droppedNoRoom;
    final Recorder latencyRecorder;

    ReceiveBuffer(
        final Session session,
        final SessionFlows flows,
        final long flowId,
        final byte[] metadata,
        final long returnFlowId,
        final SendFlow association,
        final long bufferCapacity,
        final int maxSlots,
        final boolean measureLatency)
    {
        this.session = session;
        this.flows = flows;
        this.flowId = flowId;
        this.metadata = metadata;
        this.returnFlowId = returnFlowId;
        this.association = association;
        this.bufferCapacity = bufferCapacity;
        this.maxSlots = BitUtil.findNextPositivePowerOfTwo(Math.max(INITIAL_SLOTS, maxSlots));
        this.store = new BlockStore(bufferCapacity);
        slotMask = INITIAL_SLOTS - 1;
        slotFlags = new byte[INITIAL_SLOTS];
        slotBlock = new int[INITIAL_SLOTS];
        slotLength = new int[INITIAL_SLOTS];
        slotArrivalNs = new long[INITIAL_SLOTS];
        latencyRecorder = measureLatency ? new Recorder(1, 3_600_000_000L, 2) : null;
    }

    /** This flow as the application sees it: {@link ReceiveFlow} is the only subclass. */
    private ReceiveFlow flow()
    {
        return (ReceiveFlow)this;
    }

    // ------------------------------------------------------------------------------------------ agent internals

    /**
     * §3.6.3.2 for one User Data or Next User Data chunk of this flow.
     */
    void onUserData(final UserDataChunk chunk, final long nowNs)
    {
        final long sn = chunk.sequenceNumber();
        final long fsn = chunk.forwardSequenceNumber();
        boolean ackNow = RF_OPEN != state || (prevRwnd >= 0 && prevRwnd < 2) || chunk.abandon() || highestSeen > csn;
        final boolean duplicate = sn <= csn || (sn < base + slotMask + 1 && 0 != (slotFlags[index(sn)] & RECEIVED));
        if (duplicate)
        {
            duplicates++;
            flows.counters().duplicateFragments.incrementRelease();
            flows.ackNow(flow());
            return;
        }
        if (!ensureSlot(sn))
        {
            droppedNoRoom++;
            flows.counters().fragmentsDroppedNoRoom.incrementRelease();
            flows.ackNow(flow());
            return;
        }
        if (chunk.fin() && finalSn < 0)
        {
            finalSn = sn;
            ackNow = true;
        }
        fragmentsReceived++;
        final int fra = chunk.fragmentControl();
        final int length = chunk.userDataLength();
        boolean delivered = false;
        if (RF_OPEN == state && !chunk.abandon())
        {
            if (!paused && sn == csn + 1 && sn == base && UserDataChunk.FRAGMENT_WHOLE == fra && fsn <= csn + 1)
            {
                // in order, nothing ahead of it: deliver from the packet
                deliver(chunk.buffer(), chunk.userDataOffset(), length, nowNs, nowNs);
                delivered = true;
            }
            else
            {
                final int first = store.store(chunk.buffer(), chunk.userDataOffset(), length);
                if (first < 0 && length > 0)
                {
                    droppedNoRoom++;
                    flows.counters().fragmentsDroppedNoRoom.incrementRelease();
                    flows.ackNow(flow());
                    return;
                }
                final int index = index(sn);
                slotFlags[index] = (byte)(DATA | fra);
                slotBlock[index] = first;
                slotLength[index] = length;
                slotArrivalNs[index] = nowNs;
                bufferedBytes += BlockStore.blocksFor(length) * (long)BLOCK;
            }
        }
        if (delivered)
        {
            // the slot was consumed as it arrived: the sequence number is just seen
            slotFlags[index(sn)] = RECEIVED;
            base = sn + 1;
            clearSlot(sn);
        }
        else
        {
            slotFlags[index(sn)] |= RECEIVED;
        }
        if (fsn > csn)
        {
            advanceForward(fsn);
        }
        advanceCumulative();
        if (sn > highestSeen)
        {
            highestSeen = sn;
        }
        if (highestSeen > csn)
        {
            ackNow = true;
        }
        if (!ordered && !paused && !delivered && RF_OPEN == state && 0 != (slotFlags[index(sn)] & DATA))
        {
            deliverIfComplete(sn, nowNs);
        }
        deliverInOrder(nowNs);
        if (finalSn > 0 && csn >= finalSn && (RF_OPEN == state || RF_REJECTED == state))
        {
            complete(nowNs);
            ackNow = true;
        }
        if (ackNow)
        {
            flows.ackNow(flow());
        }
        else
        {
            flows.ackLater(flow());
        }
    }

    /**
     * A Buffer Probe for this flow (§3.6.3.6).
     */
    void onBufferProbe()
    {
        flows.ackNow(flow());
    }

    /**
     * §3.6.3.5: the receive window in 1024-byte blocks.
     */
    long bufferBlocksAvailable()
    {
        if (RF_OPEN != state)
        {
            return 0 == bufferCapacity ? 0 : 1;
        }
        final long advertise = bufferedBytes >= bufferCapacity ? 0 : bufferCapacity - bufferedBytes;
        long blocks = (advertise + 1023) / 1024;
        if (0 == blocks && bufferCapacity > 0 && !paused)
        {
            blocks = 1;
        }
        return blocks;
    }

    /**
     * @return whether {@code sn} (above the CSN) was received, for building acknowledgements.
     */
    boolean received(final long sn)
    {
        if (sn <= csn)
        {
            return true;
        }
        return sn < base + slotMask + 1 && 0 != (slotFlags[index(sn)] & RECEIVED);
    }

    /**
     * @return the highest sequence number seen.
     */
    long exceptionCode()
    {
        return exceptionCode;
    }

    /** @return this flow's place in its session's acknowledgement list ({@link AckScheduler}), or -1. */
    int ackIndex()
    {
        return ackIndex;
    }

    void ackIndex(final int index)
    {
        ackIndex = index;
    }

    /**
     * An acknowledgement of this flow was sent advertising {@code blocks} of buffer (§3.6.3.5 uses it next time).
     *
     * @param blocks the advertised buffer.
     */
    void acknowledged(final long blocks)
    {
        prevRwnd = blocks;
    }

    /**
     * @param nowNs now.
     * @return true when the flow's linger after completion ended (§3.6.3.8).
     */
    boolean lingerEnded(final long nowNs)
    {
        return RF_COMPLETE_LINGER == state && nowNs - lingerUntilNs >= 0;
    }

    long highestSeen()
    {
        return highestSeen;
    }

    void complete(final long nowNs)
    {
        state = RF_COMPLETE_LINGER;
        lingerUntilNs = nowNs + flows.receiveLingerNs();
        notifyClosed();
    }

    void notifyClosed()
    {
        if (!closedNotified)
        {
            closedNotified = true;
            flows.onReceiveFlowClosed(flow());
        }
    }

    void release()
    {
        state = RF_CLOSED;
        releaseAll();
        store.release();
    }

    int index(final long sn)
    {
        return (int)(sn & slotMask);
    }

    boolean ensureSlot(final long sn)
    {
        if (sn < base + slotMask + 1)
        {
            return true;
        }
        final long needed = sn - base + 1;
        if (needed > maxSlots)
        {
            return false;
        }
        int capacity = slotMask + 1;
        while (capacity < needed)
        {
            capacity <<= 1;
        }
        final byte[] flags = new byte[capacity];
        final int[] blocks = new int[capacity];
        final int[] lengths = new int[capacity];
        final long[] arrivals = new long[capacity];
        final int newMask = capacity - 1;
        for (long s = base, end = base + slotMask + 1; s < end; s++)
        {
            final int from = (int)(s & slotMask);
            final int to = (int)(s & newMask);
            flags[to] = slotFlags[from];
            blocks[to] = slotBlock[from];
            lengths[to] = slotLength[from];
            arrivals[to] = slotArrivalNs[from];
        }
        slotFlags = flags;
        slotBlock = blocks;
        slotLength = lengths;
        slotArrivalNs = arrivals;
        slotMask = newMask;
        return true;
    }

    void clearSlot(final long sn)
    {
        final int index = index(sn);
        if (0 != (slotFlags[index] & DATA))
        {
            store.free(slotBlock[index], slotLength[index]);
            bufferedBytes -= BlockStore.blocksFor(slotLength[index]) * (long)BLOCK;
        }
        slotFlags[index] = 0;
        slotLength[index] = 0;
    }

    /**
     * §3.6.3.2 step 12: everything up to the forward sequence number is seen.
     */
    void advanceForward(final long fsn)
    {
        final long end = Math.min(fsn, base + slotMask);
        for (long s = csn + 1; s <= end; s++)
        {
            slotFlags[index(s)] |= RECEIVED;
        }
        if (fsn > base + slotMask)
        {
            // beyond the slots nothing is stored: deliver what is, then jump
            csn = base + slotMask;
            deliverInOrder(flows.nowNs());
            for (long s = base; s <= csn; s++)
            {
                clearSlot(s);
            }
            base = fsn + 1;
            csn = fsn;
            segmentScanBase = -1;
            gapPending = true;
        }
    }

    void advanceCumulative()
    {
        if (csn + 1 < base)
        {
            csn = base - 1; // delivered straight from the packet: seen
        }
        while (csn + 1 < base + slotMask + 1 && 0 != (slotFlags[index(csn + 1)] & RECEIVED))
        {
            csn++;
        }
    }

    /**
     * §3.6.3.3: deliver complete messages up to the CSN in order; discard abandoned segments.
     */
    void deliverInOrder(final long nowNs)
    {
        while (base <= csn && !paused)
        {
            final int index = index(base);
            final int flags = slotFlags[index];
            if (0 == (flags & DATA))
            {
                if (RF_OPEN == state && 0 == (flags & DELIVERED) && base != finalSn)
                {
                    gapPending = true; // abandoned by the sender (§3.6.1.2: report the gap)
                }
                clearSlot(base);
                base++;
                continue;
            }
            final int fra = flags & FRA_BITS;
            if (UserDataChunk.FRAGMENT_WHOLE == fra)
            {
                deliverStored(base, base, nowNs);
                clearSlot(base);
                base++;
                continue;
            }
            if (UserDataChunk.FRAGMENT_BEGIN != fra)
            {
                gapPending = true;
                clearSlot(base);
                base++;
                continue;
            }
            long j = segmentScanBase == base ? segmentScanSn : base + 1;
            boolean stop = false;
            while (true)
            {
                if (j > csn)
                {
                    segmentScanBase = base;
                    segmentScanSn = j;
                    stop = true;
                    break;
                }
                final int jf = slotFlags[index(j)];
                final int jfra = jf & FRA_BITS;
                if (0 != (jf & DATA) && UserDataChunk.FRAGMENT_MIDDLE == jfra)
                {
                    j++;
                    continue;
                }
                if (0 != (jf & DATA) && UserDataChunk.FRAGMENT_END == jfra)
                {
                    deliverStored(base, j, nowNs);
                    for (long s = base; s <= j; s++)
                    {
                        clearSlot(s);
                    }
                    base = j + 1;
                    break;
                }
                // broken segment below the CSN: abandoned by the sender
                for (long s = base; s < j; s++)
                {
                    clearSlot(s);
                }
                gapPending = true;
                base = j;
                break;
            }
            if (stop)
            {
                break;
            }
        }
    }

    /**
     * Arrival-order delivery: deliver the message holding {@code sn} if all its fragments are here.
     */
    void deliverIfComplete(final long sn, final long nowNs)
    {
        final int fra = slotFlags[index(sn)] & FRA_BITS;
        if (UserDataChunk.FRAGMENT_WHOLE == fra)
        {
            deliverStored(sn, sn, nowNs);
            return;
        }
        long first = sn;
        while (UserDataChunk.FRAGMENT_BEGIN != (slotFlags[index(first)] & FRA_BITS))
        {
            first--;
            if (first < base || 0 == (slotFlags[index(first)] & DATA))
            {
                return;
            }
        }
        long last = sn;
        while (UserDataChunk.FRAGMENT_END != (slotFlags[index(last)] & FRA_BITS))
        {
            last++;
            if (last >= base + slotMask + 1 || 0 == (slotFlags[index(last)] & DATA))
            {
                return;
            }
            final int f = slotFlags[index(last)] & FRA_BITS;
            if (UserDataChunk.FRAGMENT_MIDDLE != f && UserDataChunk.FRAGMENT_END != f)
            {
                return;
            }
        }
        deliverStored(first, last, nowNs);
    }

    /**
     * Deliver fragments {@code first..last} from the block store and free them (slots stay RECEIVED, without data).
     */
    void deliverStored(final long first, final long last, final long nowNs)
    {
        final long arrivalNs = slotArrivalNs[index(first)];
        if (first == last && slotLength[index(first)] <= BLOCK)
        {
            final int index = index(first);
            final int length = slotLength[index];
            final int offset = length > 0 ? slotBlock[index] * BLOCK : 0;
            deliver(store.buffer(), offset, length, arrivalNs, nowNs);
        }
        else
        {
            final MutableDirectBuffer assembly = flows.assemblyBuffer();
            int position = 0;
            for (long s = first; s <= last; s++)
            {
                final int index = index(s);
                position += store.gather(slotBlock[index], slotLength[index], assembly, position);
            }
            deliver(assembly, 0, position, arrivalNs, nowNs);
        }
        for (long s = first; s <= last; s++)
        {
            final int index = index(s);
            if (0 != (slotFlags[index] & DATA))
            {
                store.free(slotBlock[index], slotLength[index]);
                bufferedBytes -= BlockStore.blocksFor(slotLength[index]) * (long)BLOCK;
            }
            slotFlags[index] = (byte)((slotFlags[index] & RECEIVED) | DELIVERED);
            slotLength[index] = 0;
        }
    }

    void deliver(
        final DirectBuffer buffer, final int offset, final int length, final long arrivalNs, final long nowNs)
    {
        if (gapPending)
        {
            gapPending = false;
            gaps++;
            flows.onGap(flow());
        }
        messagesDelivered++;
        bytesDelivered += length;
        if (null != latencyRecorder)
        {
            latencyRecorder.recordValue(Math.min(Math.max(1, (nowNs - arrivalNs) / 1000), 3_600_000_000L));
        }
        flows.deliver(flow(), buffer, offset, length);
    }

    void releaseAll()
    {
        for (long s = base, end = base + slotMask + 1; s < end; s++)
        {
            final int index = index(s);
            if (0 != (slotFlags[index] & DATA))
            {
                clearSlot(s);
                slotFlags[index] = RECEIVED;
            }
        }
        bufferedBytes = 0;
    }
}
