package io.flowcast.engine.session;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One session's address mobility check, RFC 7016 §3.5.4.2: when a packet of an open session comes from another
 * address, ping that address (at most once a second) with 'M' and a fresh 16-byte secret nonce; DESTADDR moves only
 * when a Ping Reply carrying that message comes back from there within two minutes. One probe outstanding; its
 * buffers are allocated at the first probe. Agent thread only.
 */
final class MobilityProbe
{
    private static final int NONCE_LENGTH = 16;
    private static final byte MARK = 'M';
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long REPLY_MAX_AGE_NS = TimeUnit.SECONDS.toNanos(120);

    private long probeNs = Long.MIN_VALUE / 2;
    private InetSocketAddress address;
    private byte[] nonce;
    private UnsafeBuffer message;

    /**
     * @param source     where a packet of the open session came from.
     * @param farAddress the session's DESTADDR.
     * @param nowNs      now.
     * @return true when that calls for a probe now.
     */
    boolean due(final InetSocketAddress source, final InetSocketAddress farAddress, final long nowNs)
    {
        return !source.equals(farAddress) && nowNs - probeNs >= INTERVAL_NS;
    }

    /**
     * Start a probe to {@code source}.
     *
     * @return the Ping message to send there.
     */
    UnsafeBuffer start(final InetSocketAddress source, final long nowNs, final Random random)
    {
        probeNs = nowNs;
        address = source;
        if (null == message)
        {
            nonce = new byte[NONCE_LENGTH];
            message = new UnsafeBuffer(new byte[1 + NONCE_LENGTH]);
            message.putByte(0, MARK);
        }
        random.nextBytes(nonce);
        message.putBytes(1, nonce);
        return message;
    }

    /**
     * @return true when a Ping Reply with this message from {@code source} answers the outstanding probe (which
     * then ends).
     */
    boolean answeredBy(
        final DirectBuffer buffer, final int offset, final int length, final InetSocketAddress source,
        final long nowNs)
    {
        if (null == address || length != message.capacity() || !source.equals(address) ||
            nowNs - probeNs > REPLY_MAX_AGE_NS)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (message.getByte(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        address = null;
        return true;
    }
}
