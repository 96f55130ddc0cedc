package io.flowcast.engine.flow;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The storage of a sending flow's SEND_QUEUE (RFC 7016 §3.6.2): entries from {@code headSn} to {@code nextSn} in
 * parallel arrays indexed by sequence number (a power of two, doubled on demand up to the flow's bound), their bytes in
 * a byte ring (doubled on demand; each fragment contiguous). The rules that move entries live in {@link SendQueue}.
 * Agent thread only.
 */
abstract class SendBuffer
{
    /** Entries a flow starts with; doubled on demand up to {@link FlowOptions#maxQueuedFragments()}. */
    static final int INITIAL_SLOTS = 64;
    /** Ring bytes a flow starts with; doubled on demand up to the power of two at or above its buffer size. */
    static final int INITIAL_RING_BYTES = 16 * 1024;

    long nextSn = 1;
    long headSn = 1;

    // SEND_QUEUE entries, index = sequence number & mask. The arrays start small and double on demand up to
    // maxSlots: a server holds several flows per player, most of them nearly idle.
    int mask;
    final int maxSlots;
    long[] dataPosition;
    int[] dataLength;
    byte[] entryFlags;
    byte[] nakCount;
    short[] transmitSize;
    long[] tsn;
    long[] deadlineNs;
    long[] queuedNs;
    byte[] entryPriority;

    // entry bytes: a FIFO ring; each fragment contiguous. dataCapacity bounds what is queued; the ring itself starts
    // small and doubles when needed (doubling keeps every fragment contiguous at its logical position).
    final UnsafeBuffer data;
    final int dataCapacity;
    int ringCapacity;
    long writePosition;
    long readPosition;

    SendBuffer(final int maxQueuedFragments, final int bufferBytes, final int maxFragmentLength)
    {
        maxSlots = BitUtil.findNextPositivePowerOfTwo(Math.max(16, maxQueuedFragments));
        allocateSlots(Math.min(maxSlots, INITIAL_SLOTS));
        dataCapacity = Math.max(bufferBytes, maxFragmentLength);
        ringCapacity = Math.min(BitUtil.findNextPositivePowerOfTwo(dataCapacity),
            Math.max(INITIAL_RING_BYTES, BitUtil.findNextPositivePowerOfTwo(2 * maxFragmentLength)));
        data = new UnsafeBuffer(new byte[ringCapacity]);
    }


    long allocate(final int length)
    {
        final int physical = (int)(writePosition % ringCapacity);
        if (physical + length > ringCapacity)
        {
            writePosition += ringCapacity - physical; // keep each fragment contiguous
        }
        final long position = writePosition;
        writePosition += length;
        return position;
    }

    void allocateSlots(final int slots)
    {
        mask = slots - 1;
        dataPosition = new long[slots];
        dataLength = new int[slots];
        entryFlags = new byte[slots];
        nakCount = new byte[slots];
        transmitSize = new short[slots];
        tsn = new long[slots];
        deadlineNs = new long[slots];
        queuedNs = new long[slots];
        entryPriority = new byte[slots];
    }

    /** Double the entry arrays until {@code needed} entries fit, moving the live ones [headSn, nextSn). */
    void growSlots(final long needed)
    {
        int slots = mask + 1;
        while (slots < needed)
        {
            slots <<= 1;
        }
        final int oldMask = mask;
        final long[] oldPosition = dataPosition;
        final int[] oldLength = dataLength;
        final byte[] oldFlags = entryFlags;
        final byte[] oldNaks = nakCount;
        final short[] oldTransmit = transmitSize;
        final long[] oldTsn = tsn;
        final long[] oldDeadline = deadlineNs;
        final long[] oldQueued = queuedNs;
        final byte[] oldPriority = entryPriority;
        allocateSlots(Math.min(slots, maxSlots));
        for (long sn = headSn; sn < nextSn; sn++)
        {
            final int from = (int)(sn & oldMask);
            final int to = (int)(sn & mask);
            dataPosition[to] = oldPosition[from];
            dataLength[to] = oldLength[from];
            entryFlags[to] = oldFlags[from];
            nakCount[to] = oldNaks[from];
            transmitSize[to] = oldTransmit[from];
            tsn[to] = oldTsn[from];
            deadlineNs[to] = oldDeadline[from];
            queuedNs[to] = oldQueued[from];
            entryPriority[to] = oldPriority[from];
        }
    }

    /**
     * Double the byte ring until {@code needed} bytes fit. A fragment contiguous at {@code p % c} stays contiguous at
     * {@code p % 2c}, so the live fragments are copied to the same logical positions and nothing else changes.
     */
    void growRing(final long needed)
    {
        int capacity = ringCapacity;
        while (capacity < needed)
        {
            capacity <<= 1;
        }
        final UnsafeBuffer old = new UnsafeBuffer(data.byteArray());
        final int oldCapacity = ringCapacity;
        data.wrap(new byte[capacity]);
        ringCapacity = capacity;
        for (long sn = headSn; sn < nextSn; sn++)
        {
            final int index = (int)(sn & mask);
            final int length = dataLength[index];
            if (length > 0)
            {
                data.putBytes((int)(dataPosition[index] % capacity), old, (int)(dataPosition[index] % oldCapacity),
                    length);
            }
        }
    }

    int index(final long sn)
    {
        return (int)(sn & mask);
    }
}
