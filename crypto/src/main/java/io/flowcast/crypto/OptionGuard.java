package io.flowcast.crypto;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;

/**
 * Guard in front of {@code OptionFlyweight.next()}: refuses an option whose length VLU decodes to 2^63 or more,
 * which the codec's {@code length > limit - offset} check lets through as a negative {@code long} (then it reads
 * past the list). Remove once the codec checks {@code length < 0} itself (reported to the codec owner).
 */
final class OptionGuard
{
    private OptionGuard()
    {
    }

    /**
     * @param options wrapped over the list.
     * @param buffer  holding the list.
     * @param limit   end of the list.
     * @return {@code options.next()}, or {@link OptionFlyweight#ERROR_LENGTH} when the next length is unsafe.
     */
    static int next(final OptionFlyweight options, final DirectBuffer buffer, final int limit)
    {
        return nextLengthSafe(buffer, options.position(), limit) ? options.next() : OptionFlyweight.ERROR_LENGTH;
    }

    /**
     * @param buffer   holding the list.
     * @param position where the next option (its length VLU) starts.
     * @param limit    end of the list.
     * @return false when the next option's length is a malformed or negative-as-long VLU.
     */
    static boolean nextLengthSafe(final DirectBuffer buffer, final int position, final int limit)
    {
        if (position >= limit)
        {
            return true;
        }
        final int bytes = Vlu.length(buffer, position, limit);
        return bytes < 0 || Vlu.value(buffer, position) >= 0;
    }
}
