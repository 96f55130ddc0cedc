package io.flowcast.engine.session;

/**
 * One session's round-trip estimate, RFC 7016 §3.5.2.2: SRTT, RTTVAR, MRTO and ERTO from timestamp-echo samples,
 * ERTO backed off after a timeout. Agent thread only.
 */
public final class RoundTripTime
{
    static final long MIN_ERTO_MS = 250;
    static final long MAX_ERTO_MS = 10_000;

    private long lastMs = -1;
    private long srttMs = -1;
    private long rttvarMs;
    private long mrtoMs = MIN_ERTO_MS;
    private long ertoMs = 3_000;

    /**
     * §3.5.2.2: fold a round-trip measurement into SRTT, RTTVAR, MRTO and ERTO.
     *
     * @param rttMs the measurement.
     */
    void sample(final long rttMs)
    {
        lastMs = rttMs;
        if (srttMs < 0)
        {
            srttMs = rttMs;
            rttvarMs = rttMs / 2;
        }
        else
        {
            final long delta = Math.abs(srttMs - rttMs);
            rttvarMs = (3 * rttvarMs + delta) / 4;
            srttMs = (7 * srttMs + rttMs) / 8;
        }
        mrtoMs = srttMs + 4 * rttvarMs + 200;
        ertoMs = Math.max(mrtoMs, MIN_ERTO_MS);
    }

    /**
     * §3.5.2.2: back off ERTO after a timeout (a keepalive Ping without reply, or the retransmission alarm of §3.6.2.6
     * finding data in flight).
     */
    public void backOff()
    {
        final long capped = Math.min((long)(ertoMs * 1.4142), MAX_ERTO_MS);
        ertoMs = Math.max(capped, mrtoMs);
    }

    /**
     * @return the last measurement, ms, or -1.
     */
    public long lastMs()
    {
        return lastMs;
    }

    /**
     * @return smoothed round-trip time, ms, or -1 before the first sample.
     */
    public long srttMs()
    {
        return srttMs;
    }

    /**
     * @return round-trip time variance, ms.
     */
    public long rttvarMs()
    {
        return rttvarMs;
    }

    /**
     * @return the effective retransmission timeout, ms.
     */
    public long ertoMs()
    {
        return ertoMs;
    }
}
