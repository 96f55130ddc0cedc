package io.flowcast.engine.cc;

/**
 * A session's (or one flow's) transmission budget, §3.5.2: a congestion window in bytes of user data outstanding.
 * Notifications arrive in the order of §3.6.2.4–§3.6.2.6 and Appendix A: {@link #onPacketStart} before a received
 * packet's chunks, {@link #onAcknowledged}, {@link #onNegativeAcknowledgement} and {@link #onLoss} while its acks are
 * processed, {@link #onPacketEnd} after them; {@link #onTimeout} when the retransmission alarm fires. Called on the
 * agent thread only; implementations allocate nothing.
 */
public interface CongestionControl
{
    /** A typical Sender Maximum Segment Size (RFC 5681 SMSS) for our data packets. */
    int SMSS = 1200;
    /** Initial window (RFC 5681 §3.1, three segments). */
    int CWND_INIT = 3 * SMSS;
    /** Window after a timeout that lost data (one segment). */
    int CWND_TIMEDOUT = SMSS;

    /**
     * @param outstandingBytes bytes in flight before this packet's acknowledgements.
     */
    void onPacketStart(long outstandingBytes);

    /**
     * @param bytes bytes of user data chunks acknowledged.
     */
    void onAcknowledged(long bytes);

    /**
     * A fragment sent before an acknowledged one is still outstanding (§3.6.2.5).
     */
    void onNegativeAcknowledgement();

    /**
     * A fragment was declared lost after three negative acknowledgements (§3.6.2.5).
     */
    void onLoss();

    /**
     * After a received packet's acknowledgements (Appendix A Figure 25).
     *
     * @param nowNs          this duty cycle's time.
     * @param srttMs         smoothed round-trip time, or -1.
     * @param minRttMs       the least round-trip time seen, or -1.
     * @param timeCritical   true when this end sent time-critical data on the session in the last 800 ms (TC_SENT).
     * @param fastGrowAllowed false when a Time Critical Reverse Notification arrived in the last 800 ms (§3.5.2.1).
     */
    void onPacketEnd(long nowNs, long srttMs, long minRttMs, boolean timeCritical, boolean fastGrowAllowed);

    /**
     * The retransmission alarm fired (§3.6.2.6, Figure 24).
     *
     * @param wasLoss true when fragments were in flight.
     */
    void onTimeout(boolean wasLoss);

    /**
     * @return the congestion window in bytes.
     */
    long window();

    /**
     * @return the slow-start threshold in bytes ({@link Long#MAX_VALUE} for none).
     */
    long slowStartThreshold();

    /**
     * @return a short name for logs and counters.
     */
    String name();
}
