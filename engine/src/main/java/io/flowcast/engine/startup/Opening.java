package io.flowcast.engine.startup;

import io.flowcast.engine.session.Session;

import io.flowcast.crypto.SessionKeying;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;

/**
 * An initiator's opening in progress (RFC 7016 §3.5.1.1.1, S_IHELLO_SENT and S_KEYING_SENT): the tag and EPD of its
 * IHellos, the candidate addresses each with its own back-off, the open deadline, then the cookie, SKIC and keying
 * back-off of its IIKeying. Startup's state; the {@link Session} holds it until keyed.
 */
public final class Opening
{
    /** Most candidate addresses, including those added by Redirect (§3.5.1.1.1 REDIRECT_THRESHOLD). */
    static final int MAX_CANDIDATES = 24;
    static final int TAG_LENGTH = 16;

    final Session session;
    final UnsafeBuffer tag;
    final UnsafeBuffer epd;
    final InetSocketAddress[] candidates = new InetSocketAddress[MAX_CANDIDATES];
    final long[] nextHelloNs = new long[MAX_CANDIDATES];
    final long[] helloIntervalNs = new long[MAX_CANDIDATES];
    final long deadlineNs;
    int candidateCount;
    SessionKeying.Initiation initiation;
    UnsafeBuffer cookie;
    UnsafeBuffer skic;
    long nextKeyingNs;
    long keyingIntervalNs;

    Opening(final Session session, final byte[] tag, final byte[] epd, final long deadlineNs)
    {
        this.session = session;
        this.tag = new UnsafeBuffer(tag);
        this.epd = new UnsafeBuffer(epd);
        this.deadlineNs = deadlineNs;
    }

    /**
     * Add a candidate address (once; at most {@link #MAX_CANDIDATES}), due for an IHello now.
     *
     * @param candidate       the address.
     * @param nowNs           now.
     * @param helloIntervalNs its first back-off.
     */
    void addCandidate(final InetSocketAddress candidate, final long nowNs, final long helloIntervalNs)
    {
        if (candidateCount >= MAX_CANDIDATES)
        {
            return;
        }
        for (int i = 0; i < candidateCount; i++)
        {
            if (candidates[i].equals(candidate))
            {
                return;
            }
        }
        final int index = candidateCount++;
        candidates[index] = candidate;
        nextHelloNs[index] = nowNs;
        this.helloIntervalNs[index] = helloIntervalNs;
    }

    /**
     * @param address an address.
     * @return true when it is one of the candidates.
     */
    boolean isCandidate(final InetSocketAddress address)
    {
        for (int c = 0; c < candidateCount; c++)
        {
            if (address.equals(candidates[c]))
            {
                return true;
            }
        }
        return false;
    }
}
