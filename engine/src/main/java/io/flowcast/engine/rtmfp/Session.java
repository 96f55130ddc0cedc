package io.flowcast.engine.rtmfp;

import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.crypto.SessionKeying;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.net.InetSocketAddress;

import static org.agrona.DeadlineTimerWheel.NULL_DEADLINE;

/**
 * One RTMFP session (RFC 7016 §3.5), initiator or responder, owned by the endpoint's agent thread. Applications see
 * it in {@link SessionListener} callbacks; its accessors are meant to be read on the agent thread (from another
 * thread they are racy snapshots). Close it with {@link RtmfpEndpoint#close(Session)}.
 */
public final class Session
{
    /** Most candidate addresses of an opening, including those added by Redirect (§3.5.1.1.1 REDIRECT_THRESHOLD). */
    static final int MAX_CANDIDATES = 24;
    static final int TAG_LENGTH = 16;
    static final long MIN_ERTO_MS = 250;
    static final long MAX_ERTO_MS = 10_000;
    static final int DATAGRAMS_IN = 0;
    static final int BYTES_IN = 1;
    static final int DATAGRAMS_OUT = 2;
    static final int BYTES_OUT = 3;
    static final int CWND = 4;
    static final int BYTES_IN_FLIGHT = 5;
    static final int SRTT_MICROS = 6;
    static final int RETRANSMISSIONS = 7;
    static final int COUNTERS = 8;
    static final int MOBILITY_NONCE_LENGTH = 16;
    static final FlowOptions DEFAULT_FLOW_OPTIONS = new FlowOptions();

    final boolean initiator;
    final long openId;
    SessionState state;
    int localSessionId;
    int farSessionId;
    InetSocketAddress farAddress;
    int channel = -1;
    PacketProtection protection;
    byte[] farCertificate;
    byte[] nearNonce; // RFC 7425 §4.6.5 session nonces, set when keying completes
    byte[] farNonce;
    boolean registered;
    boolean wasOpen;

    // initiator opening (S_IHELLO_SENT, S_KEYING_SENT)
    UnsafeBuffer tag;
    UnsafeBuffer epd;
    final InetSocketAddress[] candidates;
    final long[] nextHelloNs;
    final long[] helloIntervalNs;
    int candidateCount;
    long openDeadlineNs;
    SessionKeying.Initiation initiation;
    UnsafeBuffer cookie;
    UnsafeBuffer skic;
    long nextKeyingNs;
    long keyingIntervalNs;

    // responder: for answering a retransmitted IIKeying (§3.5.1.1.2)
    byte[] skicBytes;
    UnsafeBuffer riKeyingChunk;

    // §3.5.4.2 address mobility: one outstanding probe
    long mobilityProbeNs = Long.MIN_VALUE / 2;
    InetSocketAddress mobilityProbeAddress;
    byte[] mobilityNonce; // allocated at the first probe

    // flows (§3.6), from S_OPEN on
    SessionFlows flows;
    FlowListener flowListener;
    long lastRttMs = -1;

    // timers
    long timerId = NULL_DEADLINE;
    long timerDeadlineNs = Long.MAX_VALUE;
    long lastReceiveNs;
    long stateEnteredNs;
    long nextPingNs;
    /** This session's keepalive interval, or 0 for the endpoint's (e.g. set from RFC 7425 Set Keepalive Timers). */
    long keepaliveIntervalNs;
    long nextCloseRequestNs;

    // §3.5.2.2 timestamps and RTT
    int tsRx = -1;
    long tsRxTimeNs;
    int tsEchoTx = -1;
    int tsTx = -1;
    int tsEchoRx = -1;
    long srttMs = -1;
    long rttvarMs;
    long mrtoMs = MIN_ERTO_MS;
    long ertoMs = 3_000;

    // application pings (RtmfpEndpoint#ping)
    long pingSentNs;
    long pingRttNs = -1;
    long pingRepliesReceived;

    long datagramsIn;
    long bytesIn;
    long datagramsOut;
    long bytesOut;
    int[] counterIds; // per-session counters in the endpoint's counters manager, or null
    org.agrona.concurrent.AtomicBuffer counterValues;

    void countIn(final int length)
    {
        datagramsIn++;
        bytesIn += length;
        final int[] ids = this.counterIds;
        if (null != ids)
        {
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[DATAGRAMS_IN]), datagramsIn);
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[BYTES_IN]), bytesIn);
        }
    }

    void countOut(final int length)
    {
        datagramsOut++;
        bytesOut += length;
        final int[] ids = this.counterIds;
        if (null != ids)
        {
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[DATAGRAMS_OUT]), datagramsOut);
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[BYTES_OUT]), bytesOut);
        }
    }

    /**
     * @param index {@link #DATAGRAMS_IN} .. {@link #BYTES_OUT}.
     * @return the value in the counters manager, or -1 when this session has no counters.
     */
    long counterValue(final int index)
    {
        return null == counterIds ? -1 : counterValues.getLongVolatile(CountersReader.counterOffset(counterIds[index]));
    }

    Session(final boolean initiator, final long openId)
    {
        this.initiator = initiator;
        this.openId = openId;
        if (initiator)
        {
            candidates = new InetSocketAddress[MAX_CANDIDATES];
            nextHelloNs = new long[MAX_CANDIDATES];
            helloIntervalNs = new long[MAX_CANDIDATES];
        }
        else
        {
            candidates = null;
            nextHelloNs = null;
            helloIntervalNs = null;
        }
    }

    /**
     * @return the round trip of the last {@link RtmfpEndpoint#ping(Session)} answered, in nanoseconds, or -1.
     * Read it on the agent thread (listener, {@link RtmfpEndpoint#execute}, or the invoker's thread).
     */
    public long pingRttNanos()
    {
        return pingRttNs;
    }

    /**
     * @return how many {@link RtmfpEndpoint#ping(Session)} pings were answered. Read it on the agent thread.
     */
    public long pingRepliesReceived()
    {
        return pingRepliesReceived;
    }

    /**
     * @return the current state.
     */
    public SessionState state()
    {
        return state;
    }

    /**
     * @return true when this end initiated the session.
     */
    public boolean isInitiator()
    {
        return initiator;
    }

    /**
     * @return the identifier {@link RtmfpEndpoint#connect} returned, or 0 for a session this end responded to.
     */
    public long openId()
    {
        return openId;
    }

    /**
     * @return the session ID the far end puts on packets to us.
     */
    public int localSessionId()
    {
        return localSessionId;
    }

    /**
     * @return the session ID we put on packets to the far end.
     */
    public int farSessionId()
    {
        return farSessionId;
    }

    /**
     * @return the far end's address (DESTADDR).
     */
    public InetSocketAddress farAddress()
    {
        return farAddress;
    }

    /**
     * @return the far end's fingerprint (peer ID), 32 bytes, or null before RHello/IIKeying.
     */
    public byte[] farFingerprint()
    {
        if (null == farCertificate)
        {
            return null;
        }
        final Certificate certificate = new Certificate();
        certificate.wrap(new UnsafeBuffer(farCertificate), 0, farCertificate.length);
        return certificate.fingerprint();
    }

    /**
     * Send a keepalive Ping when nothing was received from the peer for this long, instead of the endpoint's
     * interval: RFC 7425 §5.3.4, a server's Set Keepalive Timers tells its clients how often to show they are alive
     * (and keep NAT bindings open). Agent thread only.
     *
     * @param interval at least 1 ms; 0 returns to the endpoint's interval.
     * @param unit     of the interval.
     */
    public void keepaliveInterval(final long interval, final java.util.concurrent.TimeUnit unit)
    {
        final long ns = unit.toNanos(interval);
        keepaliveIntervalNs = ns <= 0 ? 0 : Math.max(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1), ns);
        if (null != flows && keepaliveIntervalNs > 0)
        {
            flows.ensureTimer(lastReceiveNs + keepaliveIntervalNs);
        }
    }

    /**
     * @return the interval set by {@link #keepaliveInterval}, ns, or 0 when the endpoint's applies.
     */
    public long keepaliveIntervalNs()
    {
        return keepaliveIntervalNs;
    }

    long effectiveKeepaliveNs(final long endpointDefaultNs)
    {
        return keepaliveIntervalNs > 0 ? keepaliveIntervalNs : endpointDefaultNs;
    }

    /**
     * @return smoothed round-trip time in ms (§3.5.2.2), or -1 before the first sample.
     */
    public long srttMillis()
    {
        return srttMs;
    }

    /**
     * @return round-trip time variance in ms.
     */
    public long rttvarMillis()
    {
        return rttvarMs;
    }

    /**
     * @return the effective retransmission timeout in ms (§3.5.2.2).
     */
    public long ertoMillis()
    {
        return ertoMs;
    }

    /**
     * @return datagrams received for this session (after decryption).
     */
    public long datagramsIn()
    {
        return datagramsIn;
    }

    /**
     * @return bytes received for this session.
     */
    public long bytesIn()
    {
        return bytesIn;
    }

    /**
     * @return datagrams sent for this session.
     */
    public long datagramsOut()
    {
        return datagramsOut;
    }

    /**
     * @return bytes sent for this session.
     */
    public long bytesOut()
    {
        return bytesOut;
    }

    /**
     * §3.5.2.2: fold a timestamp-echo round-trip measurement into SRTT, RTTVAR, MRTO and ERTO.
     *
     * @param rttMs the measurement.
     */
    void rttSample(final long rttMs)
    {
        lastRttMs = rttMs;
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
     * §3.5.2.2: back off ERTO after a timeout (here: a keepalive Ping without reply).
     */
    void backOffErto()
    {
        final long capped = Math.min((long)(ertoMs * 1.4142), MAX_ERTO_MS);
        ertoMs = Math.max(capped, mrtoMs);
    }

    /**
     * Open a sending flow (§3.6.2.1) with the default {@link FlowOptions}. Agent thread only.
     *
     * @param metadata the per-flow metadata the far end sees (for RFC 7425 the TC metadata).
     * @return the flow, or null when the session is not open or has its maximum of flows.
     */
    public SendFlow openFlow(final byte[] metadata)
    {
        return openFlow(metadata, null, DEFAULT_FLOW_OPTIONS);
    }

    /**
     * Open a sending flow (§3.6.2.1). Agent thread only.
     *
     * @param metadata  the per-flow metadata the far end sees.
     * @param returnFor the receiving flow this one answers (Return Flow Association, §2.3.11.1.2), or null.
     * @param options   buffer bounds, congestion control, measurement.
     * @return the flow, or null when the session is not open or has its maximum of flows.
     */
    public SendFlow openFlow(final byte[] metadata, final ReceiveFlow returnFor, final FlowOptions options)
    {
        if (SessionState.OPEN != state || null == flows)
        {
            return null;
        }
        if (null != returnFor && returnFor.session != this)
        {
            throw new IllegalArgumentException("return flow of another session");
        }
        return flows.openFlow(metadata, returnFor, options);
    }

    /**
     * @param listener this session's flow events (wins over the endpoint's {@link EndpointContext#flowListener}).
     */
    public void flowListener(final FlowListener listener)
    {
        this.flowListener = listener;
        if (null != flows)
        {
            flows.listener = listener;
        }
    }

    /**
     * @param flowId a sending flow's ID.
     * @return the flow, or null.
     */
    public SendFlow sendFlow(final long flowId)
    {
        return null == flows ? null : flows.sendFlow(flowId);
    }

    /**
     * @param flowId a receiving flow's ID (chosen by the far end).
     * @return the flow, or null.
     */
    public ReceiveFlow receiveFlow(final long flowId)
    {
        return null == flows ? null : flows.receiveFlow(flowId);
    }

    /**
     * @return the session's congestion window in bytes (§3.5.2), or 0 before open.
     */
    public long congestionWindow()
    {
        return null == flows ? 0 : flows.congestionControl().window();
    }

    /**
     * @return bytes of user data in flight under the session's congestion control (S_OUTSTANDING_BYTES).
     */
    public long bytesInFlight()
    {
        return null == flows ? 0 : flows.outstandingBytes();
    }

    /**
     * @return this end's session nonce (RFC 7425 §4.6.5: HMAC(K, our keying component)), or null before keying; the
     * far end's "far nonce". A server hands its own to the media core for tcserver-style hashed tokens. Do not modify.
     */
    public byte[] nearNonce()
    {
        return nearNonce;
    }

    /**
     * @return the far end's session nonce (HMAC(K, its keying component)), or null before keying. Do not modify.
     */
    public byte[] farNonce()
    {
        return farNonce;
    }

    /**
     * @return the least round-trip time measured, in ms, or -1.
     */
    public long minRttMillis()
    {
        return null == flows ? -1 : flows.minRttMs();
    }

    /**
     * @return fragments retransmitted on this session's flows.
     */
    public long retransmissions()
    {
        return null == flows ? 0 : flows.retransmissionsTotal();
    }

    void publishFlowCounters(final long cwnd, final long inFlight, final long retransmissions)
    {
        final int[] ids = this.counterIds;
        if (null != ids && ids.length > RETRANSMISSIONS && ids[CWND] >= 0)
        {
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[CWND]), cwnd);
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[BYTES_IN_FLIGHT]), inFlight);
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[SRTT_MICROS]), srttMs < 0 ? -1 : srttMs * 1000);
            counterValues.putLongOrdered(CountersReader.counterOffset(ids[RETRANSMISSIONS]), retransmissions);
        }
    }

    @Override
    public String toString()
    {
        return "Session{" + (initiator ? "initiator" : "responder") + ", " + state + ", local=" +
            Integer.toHexString(localSessionId) + ", far=" + Integer.toHexString(farSessionId) + ", " + farAddress +
            '}';
    }
}
