package io.flowcast.engine.session;

import java.util.concurrent.TimeUnit;

/**
 * One session's timestamps and echoes, RFC 7016 §3.5.2.2: what was last received and sent, so that a packet carries
 * a timestamp only when it changed and an echo of the far end's, aged by the time held. Agent thread only.
 */
final class Timestamps
{
    /** Timestamps count 4 ms ticks. */
    static final long NS_PER_TICK = TimeUnit.MILLISECONDS.toNanos(4);
    /** §3.5.2.2: do not echo a timestamp received more than 128 s ago. */
    private static final long RX_MAX_AGE_NS = TimeUnit.SECONDS.toNanos(128);

    private int tsRx = -1;
    private long tsRxTimeNs;
    private int tsEchoTx = -1;
    private int tsTx = -1;
    private int tsEchoRx = -1;

    /**
     * @param timestamp the received packet's timestamp.
     * @param nowNs     when it arrived.
     */
    void received(final int timestamp, final long nowNs)
    {
        if (timestamp != tsRx)
        {
            tsRx = timestamp;
            tsRxTimeNs = nowNs;
        }
    }

    /**
     * @param echo the received packet's timestamp echo.
     * @return true when it is new (a round-trip sample).
     */
    boolean echoReceived(final int echo)
    {
        if (echo == tsEchoRx)
        {
            return false;
        }
        tsEchoRx = echo;
        return true;
    }

    /**
     * @param now our timestamp now.
     * @return the timestamp to send, or -1 when it did not change since the last one sent.
     */
    int timestampToSend(final int now)
    {
        if (now == tsTx)
        {
            return -1;
        }
        tsTx = now;
        return now;
    }

    /**
     * @param nowNs the time now.
     * @return the echo to send (the far end's timestamp aged by the time held), or -1 for none.
     */
    int echoToSend(final long nowNs)
    {
        if (tsRx < 0)
        {
            return -1;
        }
        final long elapsedNs = nowNs - tsRxTimeNs;
        if (elapsedNs > RX_MAX_AGE_NS)
        {
            tsRx = -1;
            tsEchoTx = -1;
            return -1;
        }
        final int candidate = (int)((tsRx + elapsedNs / NS_PER_TICK) & 0xFFFF);
        if (candidate == tsEchoTx)
        {
            return -1;
        }
        tsEchoTx = candidate;
        return candidate;
    }
}
