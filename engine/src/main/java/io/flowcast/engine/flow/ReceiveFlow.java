package io.flowcast.engine.flow;

import io.flowcast.engine.session.Session;

import io.flowcast.codec.rtmfp.UserDataChunk;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A receiving flow (RFC 7016 §3.6.3): the SEQUENCE_SET as a cumulative sequence number (CSN) plus a window of
 * per-sequence-number slots above it, and a RECV_BUFFER whose fragments are stored in 512-byte blocks of a
 * growable, bounded block store. A complete message in order with nothing buffered ahead is delivered straight from
 * the packet (no copy). Owned by the agent thread; {@link FlowListener} callbacks run there.
 */
public final class ReceiveFlow
{
    /** §3.6.3 states. */
    public static final int RF_OPEN = 0;
    /** Rejected by us (Flow Exception Report sent with every ack) until the sender finishes. */
    public static final int RF_REJECTED = 1;
    /** Every sequence number up to the final one received. */
    public static final int RF_COMPLETE_LINGER = 2;
    /** Released. */
    public static final int RF_CLOSED = 3;

    static final int BLOCK = 512;
    static final int FRA_BITS = 0x03;
    static final int RECEIVED = 0x10;
    static final int DATA = 0x20;
    static final int DELIVERED = 0x40;
    static final int INITIAL_SLOTS = 64;
    static final int INITIAL_BLOCKS = 16;
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

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
    private final int maxSlots;
    private int slotMask;
    private byte[] slotFlags;
    private int[] slotBlock;
    private int[] slotLength;
    private long[] slotArrivalNs;

    // block store (allocated on first need)
    private final int maxBlocks;
    private UnsafeBuffer store;
    private int[] nextBlock;
    private int[] freeBlocks;
    private int freeCount;

    // measurement
    long messagesDelivered;
    long bytesDelivered;
    long fragmentsReceived;
    long duplicates;
    long gaps;
    long droppedNoRoom;
    private final Recorder latencyRecorder;

    ReceiveFlow(
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
        this.maxBlocks = (int)Math.min(Integer.MAX_VALUE / 2, 2 * bufferCapacity / BLOCK + 64);
        slotMask = INITIAL_SLOTS - 1;
        slotFlags = new byte[INITIAL_SLOTS];
        slotBlock = new int[INITIAL_SLOTS];
        slotLength = new int[INITIAL_SLOTS];
        slotArrivalNs = new long[INITIAL_SLOTS];
        latencyRecorder = measureLatency ? new Recorder(1, 3_600_000_000L, 2) : null;
    }

    // ------------------------------------------------------------------------------------------------------- API

    /**
     * Reject the flow (§3.6.3.7): buffered data is discarded and every acknowledgement carries a Flow Exception
     * Report with {@code code} until the sender closes. Agent thread only.
     *
     * @param code the exception code.
     */
    public void reject(final long code)
    {
        if (RF_OPEN != state)
        {
            return;
        }
        state = RF_REJECTED;
        exceptionCode = code;
        releaseAll();
        flows.ackNow(this);
        flows.counters().flowsRejected.incrementRelease();
    }

    /**
     * Suspend delivery (§3.6.3.3): complete messages are held, the buffer fills, and the receive window advertised to
     * the sender closes to zero once it is full (§3.6.3.5), which stops the sender until {@link #resume()}. Agent
     * thread only.
     */
    public void pause()
    {
        paused = true;
    }

    /**
     * Resume delivery: held messages are delivered now and the reopened window is advertised at once.
     */
    public void resume()
    {
        if (paused)
        {
            paused = false;
            deliverInOrder(flows.nowNs());
            flows.ackNow(this);
        }
    }

    /**
     * @return whether delivery is paused.
     */
    public boolean isPaused()
    {
        return paused;
    }

    /**
     * @param ordered true (default): deliver messages in the order they were queued; false: as soon as each is complete.
     */
    public void ordered(final boolean ordered)
    {
        this.ordered = ordered;
    }

    /**
     * @return whether delivery is ordered.
     */
    public boolean isOrdered()
    {
        return ordered;
    }

    /**
     * @param listener where this flow's messages go instead of the session's or endpoint's flow listener.
     */
    public void listener(final FlowListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return the flow ID the far end chose.
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return the session.
     */
    public Session session()
    {
        return session;
    }

    /**
     * @return the per-flow metadata (§2.3.11.1.1); do not modify.
     */
    public byte[] metadata()
    {
        return metadata;
    }

    /**
     * @return the flow ID of our sending flow this one answers (Return Flow Association), or -1.
     */
    public long returnFlowId()
    {
        return returnFlowId;
    }

    /**
     * @return our sending flow this one answers, or null.
     */
    public SendFlow association()
    {
        return association;
    }

    /**
     * @return {@link #RF_OPEN}, {@link #RF_REJECTED}, {@link #RF_COMPLETE_LINGER} or {@link #RF_CLOSED}.
     */
    public int state()
    {
        return state;
    }

    /**
     * @return the cumulative acknowledgement (CSN).
     */
    public long cumulativeSequenceNumber()
    {
        return csn;
    }

    /**
     * @return bytes held for reassembly or ordering.
     */
    public long bufferedBytes()
    {
        return bufferedBytes;
    }

    /**
     * @return messages delivered.
     */
    public long messagesDelivered()
    {
        return messagesDelivered;
    }

    /**
     * @return bytes delivered.
     */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /**
     * @return fragments received (duplicates excluded).
     */
    public long fragmentsReceived()
    {
        return fragmentsReceived;
    }

    /**
     * @return duplicate fragments received.
     */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * @return gaps reported (messages the sender abandoned).
     */
    public long gaps()
    {
        return gaps;
    }

    /**
     * @return fragments dropped because they were too far ahead or the block store was full (the sender resends them).
     */
    public long droppedNoRoom()
    {
        return droppedNoRoom;
    }

    /**
     * Receive latency of each message in microseconds: from the arrival of its first fragment to its delivery (the
     * time it waited for reassembly or for a retransmission ahead of it). Sample it from any thread with
     * {@link Recorder#getIntervalHistogram(Histogram)}.
     *
     * @return the recorder, or null when measurement is off.
     */
    public Recorder latencyRecorder()
    {
        return latencyRecorder;
    }

    /**
     * @param attachment any object the application wants to find again with the flow.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return the application's attachment.
     */
    public Object attachment()
    {
        return attachment;
    }

    String slotDump()
    {
        final StringBuilder b = new StringBuilder("mask=" + slotMask + " slots:");
        for (long sn = base; sn <= highestSeen && sn < base + slotMask + 1; sn++)
        {
            b.append(' ').append(sn).append('=').append(Integer.toHexString(slotFlags[index(sn)] & 0xFF));
        }
        return b.toString();
    }

    @Override
    public String toString()
    {
        return "ReceiveFlow{" + flowId + ", state=" + state + ", csn=" + csn + ", buffered=" + bufferedBytes + '}';
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
            flows.ackNow(this);
            return;
        }
        if (!ensureSlot(sn))
        {
            droppedNoRoom++;
            flows.counters().fragmentsDroppedNoRoom.incrementRelease();
            flows.ackNow(this);
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
                final int first = storeFragment(chunk.buffer(), chunk.userDataOffset(), length);
                if (first < 0 && length > 0)
                {
                    droppedNoRoom++;
                    flows.counters().fragmentsDroppedNoRoom.incrementRelease();
                    flows.ackNow(this);
                    return;
                }
                final int index = index(sn);
                slotFlags[index] = (byte)(DATA | fra);
                slotBlock[index] = first;
                slotLength[index] = length;
                slotArrivalNs[index] = nowNs;
                bufferedBytes += blocksFor(length) * (long)BLOCK;
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
            flows.ackNow(this);
        }
        else
        {
            flows.ackLater(this);
        }
    }

    /**
     * A Buffer Probe for this flow (§3.6.3.6).
     */
    void onBufferProbe()
    {
        flows.ackNow(this);
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

    private void complete(final long nowNs)
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
            flows.onReceiveFlowClosed(this);
        }
    }

    void release()
    {
        state = RF_CLOSED;
        releaseAll();
        store = null;
        nextBlock = null;
        freeBlocks = null;
    }

    private int index(final long sn)
    {
        return (int)(sn & slotMask);
    }

    private boolean ensureSlot(final long sn)
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

    private void clearSlot(final long sn)
    {
        final int index = index(sn);
        if (0 != (slotFlags[index] & DATA))
        {
            freeChain(slotBlock[index], slotLength[index]);
            bufferedBytes -= blocksFor(slotLength[index]) * (long)BLOCK;
        }
        slotFlags[index] = 0;
        slotLength[index] = 0;
    }

    /**
     * §3.6.3.2 step 12: everything up to the forward sequence number is seen.
     */
    private void advanceForward(final long fsn)
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

    private void advanceCumulative()
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
    private void deliverInOrder(final long nowNs)
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
    private void deliverIfComplete(final long sn, final long nowNs)
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
    private void deliverStored(final long first, final long last, final long nowNs)
    {
        final long arrivalNs = slotArrivalNs[index(first)];
        if (first == last && slotLength[index(first)] <= BLOCK)
        {
            final int index = index(first);
            final int length = slotLength[index];
            final int offset = length > 0 ? slotBlock[index] * BLOCK : 0;
            deliver(null == store ? EMPTY : store, offset, length, arrivalNs, nowNs);
        }
        else
        {
            final MutableDirectBuffer assembly = flows.assemblyBuffer();
            int position = 0;
            for (long s = first; s <= last; s++)
            {
                final int index = index(s);
                position += gather(slotBlock[index], slotLength[index], assembly, position);
            }
            deliver(assembly, 0, position, arrivalNs, nowNs);
        }
        for (long s = first; s <= last; s++)
        {
            final int index = index(s);
            if (0 != (slotFlags[index] & DATA))
            {
                freeChain(slotBlock[index], slotLength[index]);
                bufferedBytes -= blocksFor(slotLength[index]) * (long)BLOCK;
            }
            slotFlags[index] = (byte)((slotFlags[index] & RECEIVED) | DELIVERED);
            slotLength[index] = 0;
        }
    }

    private void deliver(
        final DirectBuffer buffer, final int offset, final int length, final long arrivalNs, final long nowNs)
    {
        if (gapPending)
        {
            gapPending = false;
            gaps++;
            flows.onGap(this);
        }
        messagesDelivered++;
        bytesDelivered += length;
        if (null != latencyRecorder)
        {
            latencyRecorder.recordValue(Math.min(Math.max(1, (nowNs - arrivalNs) / 1000), 3_600_000_000L));
        }
        flows.deliver(this, buffer, offset, length);
    }

    // ------------------------------------------------------------------------------------------------ block store

    private static int blocksFor(final int length)
    {
        return Math.max(1, (length + BLOCK - 1) / BLOCK);
    }

    private int storeFragment(final DirectBuffer source, final int offset, final int length)
    {
        final int blocks = blocksFor(length);
        if (freeCount < blocks && !growStore(blocks))
        {
            return -1;
        }
        int first = -1;
        int previous = -1;
        int remaining = length;
        int cursor = offset;
        for (int i = 0; i < blocks; i++)
        {
            final int block = freeBlocks[--freeCount];
            final int bytes = Math.min(remaining, BLOCK);
            if (bytes > 0)
            {
                store.putBytes(block * BLOCK, source, cursor, bytes);
            }
            if (previous < 0)
            {
                first = block;
            }
            else
            {
                nextBlock[previous] = block;
            }
            nextBlock[block] = -1;
            previous = block;
            remaining -= bytes;
            cursor += bytes;
        }
        return first;
    }

    private boolean growStore(final int blocksNeeded)
    {
        final int current = null == store ? 0 : nextBlock.length;
        if (current - freeCount + blocksNeeded > maxBlocks)
        {
            return false;
        }
        int capacity = Math.max(INITIAL_BLOCKS, current);
        while (capacity - current + freeCount < blocksNeeded)
        {
            capacity <<= 1;
        }
        capacity = Math.min(capacity, maxBlocks);
        final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity * BLOCK]);
        final int[] next = new int[capacity];
        final int[] free = new int[capacity];
        if (null != store)
        {
            grown.putBytes(0, store, 0, current * BLOCK);
            System.arraycopy(nextBlock, 0, next, 0, current);
            System.arraycopy(freeBlocks, 0, free, 0, freeCount);
        }
        int count = freeCount;
        for (int block = capacity - 1; block >= current; block--)
        {
            free[count++] = block;
        }
        store = grown;
        nextBlock = next;
        freeBlocks = free;
        freeCount = count;
        return freeCount >= blocksNeeded;
    }

    private void freeChain(final int first, final int length)
    {
        if (null == store || first < 0)
        {
            return;
        }
        int block = first;
        for (int i = blocksFor(length); i > 0 && block >= 0; i--)
        {
            final int next = nextBlock[block];
            freeBlocks[freeCount++] = block;
            block = next;
        }
    }

    private int gather(final int first, final int length, final MutableDirectBuffer destination, final int offset)
    {
        int block = first;
        int remaining = length;
        int position = offset;
        while (remaining > 0 && block >= 0)
        {
            final int bytes = Math.min(remaining, BLOCK);
            destination.putBytes(position, store, block * BLOCK, bytes);
            position += bytes;
            remaining -= bytes;
            block = nextBlock[block];
        }
        return length;
    }

    private void releaseAll()
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
