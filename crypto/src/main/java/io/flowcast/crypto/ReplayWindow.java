package io.flowcast.crypto;

/**
 * Receive-side window of session sequence numbers (notes §4.5): a number is refused if it was seen already or if
 * it is {@link #WINDOW} or more below the highest accepted one, as the reference implementation does. A number is
 * only {@link #accept(long) accepted} after the packet's integrity was verified. Allocation-free.
 */
public final class ReplayWindow
{
    /** Reordering tolerated, in packets: anything at or below highest - 32 counts as seen. */
    public static final int WINDOW = 32;

    /** {@link #check(long)}: not seen, may be accepted. */
    public static final int FRESH = 0;
    /** {@link #check(long)}: this number was accepted before. */
    public static final int REPLAYED = 1;
    /** {@link #check(long)}: below the window. */
    public static final int TOO_OLD = 2;

    private long highest = -1;
    private long seen; // bit i set: highest - i was accepted

    /**
     * @param sequenceNumber a received session sequence number (unsigned, below 2^63).
     * @return {@link #FRESH}, {@link #REPLAYED} or {@link #TOO_OLD}.
     */
    public int check(final long sequenceNumber)
    {
        if (sequenceNumber < 0)
        {
            return TOO_OLD;
        }
        if (sequenceNumber > highest)
        {
            return FRESH;
        }
        final long behind = highest - sequenceNumber;
        if (behind >= WINDOW)
        {
            return TOO_OLD;
        }
        return (seen & (1L << behind)) != 0 ? REPLAYED : FRESH;
    }

    /**
     * Record a number that passed {@link #check(long)} and whose packet verified.
     *
     * @param sequenceNumber to record.
     */
    public void accept(final long sequenceNumber)
    {
        if (sequenceNumber > highest)
        {
            final long shift = sequenceNumber - highest;
            seen = shift >= 64 || shift < 0 ? 1L : (seen << shift) | 1L;
            highest = sequenceNumber;
        }
        else
        {
            seen |= 1L << (highest - sequenceNumber);
        }
    }

    /**
     * @return the highest accepted number, -1 before the first.
     */
    public long highest()
    {
        return highest;
    }

    /**
     * Forget everything (new keys).
     */
    public void reset()
    {
        highest = -1;
        seen = 0;
    }
}
