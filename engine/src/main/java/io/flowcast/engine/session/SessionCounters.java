package io.flowcast.engine.session;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersReader;

import static io.flowcast.engine.session.Session.BYTES_IN;
import static io.flowcast.engine.session.Session.BYTES_IN_FLIGHT;
import static io.flowcast.engine.session.Session.BYTES_OUT;
import static io.flowcast.engine.session.Session.CWND;
import static io.flowcast.engine.session.Session.DATAGRAMS_IN;
import static io.flowcast.engine.session.Session.DATAGRAMS_OUT;
import static io.flowcast.engine.session.Session.RETRANSMISSIONS;
import static io.flowcast.engine.session.Session.SRTT_MICROS;

/**
 * One session's traffic totals, and their copies in the endpoint's counters manager while the session is open (so
 * {@code flowcast stat} shows them): counter IDs written through the values buffer, no {@code AtomicCounter} object
 * per session. Agent thread only.
 */
final class SessionCounters
{
    private long datagramsIn;
    private long bytesIn;
    private long datagramsOut;
    private long bytesOut;
    private int[] ids; // per-session counters in the endpoint's counters manager, or null
    private AtomicBuffer values;

    void attach(final int[] ids, final AtomicBuffer values)
    {
        this.ids = ids;
        this.values = null == ids ? null : values;
    }

    /**
     * @return the IDs to free, now detached.
     */
    int[] detach()
    {
        final int[] detached = ids;
        ids = null;
        values = null;
        return detached;
    }

    void countIn(final int length)
    {
        datagramsIn++;
        bytesIn += length;
        final int[] ids = this.ids;
        if (null != ids)
        {
            values.putLongOrdered(CountersReader.counterOffset(ids[DATAGRAMS_IN]), datagramsIn);
            values.putLongOrdered(CountersReader.counterOffset(ids[BYTES_IN]), bytesIn);
        }
    }

    void countOut(final int length)
    {
        datagramsOut++;
        bytesOut += length;
        final int[] ids = this.ids;
        if (null != ids)
        {
            values.putLongOrdered(CountersReader.counterOffset(ids[DATAGRAMS_OUT]), datagramsOut);
            values.putLongOrdered(CountersReader.counterOffset(ids[BYTES_OUT]), bytesOut);
        }
    }

    long value(final int index)
    {
        return null == ids ? -1 : values.getLongVolatile(CountersReader.counterOffset(ids[index]));
    }

    void publishFlows(final long cwnd, final long inFlight, final long srttMs, final long retransmissions)
    {
        final int[] ids = this.ids;
        if (null != ids && ids.length > RETRANSMISSIONS && ids[CWND] >= 0)
        {
            values.putLongOrdered(CountersReader.counterOffset(ids[CWND]), cwnd);
            values.putLongOrdered(CountersReader.counterOffset(ids[BYTES_IN_FLIGHT]), inFlight);
            values.putLongOrdered(CountersReader.counterOffset(ids[SRTT_MICROS]), srttMs < 0 ? -1 : srttMs * 1000);
            values.putLongOrdered(CountersReader.counterOffset(ids[RETRANSMISSIONS]), retransmissions);
        }
    }

    long datagramsIn()
    {
        return datagramsIn;
    }

    long bytesIn()
    {
        return bytesIn;
    }

    long datagramsOut()
    {
        return datagramsOut;
    }

    long bytesOut()
    {
        return bytesOut;
    }
}
