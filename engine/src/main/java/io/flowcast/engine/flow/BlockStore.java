package io.flowcast.engine.flow;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of a receiving flow's buffered fragments (RFC 7016 §3.6.3 RECV_BUFFER): 512-byte blocks chained per
 * fragment, in one array that grows on demand (doubling from 16 blocks) up to twice the flow's buffer; allocated on
 * first need, so most flows, delivered straight from the packet, never have one. Agent thread only.
 */
final class BlockStore
{
    static final int BLOCK = 512;
    static final int INITIAL_BLOCKS = 16;
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final int maxBlocks;
    private UnsafeBuffer store;
    private int[] nextBlock;
    private int[] freeBlocks;
    private int freeCount;

    BlockStore(final long bufferCapacity)
    {
        this.maxBlocks = (int)Math.min(Integer.MAX_VALUE / 2, 2 * bufferCapacity / BLOCK + 64);
    }

    /**
     * @return the blocks' buffer (block {@code b} at {@code b * BLOCK}).
     */
    DirectBuffer buffer()
    {
        return null == store ? EMPTY : store;
    }

    /**
     * The flow was released: drop the blocks.
     */
    void release()
    {
        store = null;
        nextBlock = null;
        freeBlocks = null;
    }

    static int blocksFor(final int length)
    {
        return Math.max(1, (length + BLOCK - 1) / BLOCK);
    }

    int store(final DirectBuffer source, final int offset, final int length)
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

    void free(final int first, final int length)
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

    int gather(final int first, final int length, final MutableDirectBuffer destination, final int offset)
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
}
