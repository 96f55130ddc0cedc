package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointCounters;
import io.flowcast.engine.session.RoundTripTime;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionTimers;

import io.flowcast.engine.cc.CongestionControl;

import java.util.concurrent.TimeUnit;

/**
 * The sending side's view of what is in flight on one session, RFC 7016 §3.6.2.4–§3.6.2.6: transmission sequence
 * numbers, S_OUTSTANDING_BYTES, acknowledgements of ranges, negative acknowledgement (a fragment sent before the
 * highest acknowledged TSN collects a NAK; three declare it lost) and the retransmission alarm (ERTO after the last
 * data sent or acknowledgement; on expiry nothing is in flight any more and ERTO backs off). Feeds the congestion
 * controllers the events of {@link CongestionControl}. Agent thread only.
 */
final class LossDetector
{
    private final SessionFlows flows;
    private final Session session;
    private final CongestionControl congestionControl;
    private final SessionTimers timers;
    private final EndpointCounters counters;
    private long outstandingBytes;
    private long nextTsn = 1;
    private long maxTsnAck;
    private long maxTsnAckAtPacketStart;
    private long retransmitAlarmNs = SessionFlows.NONE;
    private long receivePacketStamp;
    private boolean ackInPacket;
    private long minRttMs = -1;

    LossDetector(
        final SessionFlows flows, final Session session, final CongestionControl congestionControl,
        final SessionTimers timers, final EndpointCounters counters)
    {
        this.flows = flows;
        this.session = session;
        this.congestionControl = congestionControl;
        this.timers = timers;
        this.counters = counters;
    }

    long nextTransmissionSequenceNumber()
    {
        return nextTsn++;
    }

    /**
     * @return S_OUTSTANDING_BYTES: bytes in flight under the session's congestion control.
     */
    long outstandingBytes()
    {
        return outstandingBytes;
    }

    long minRttMs()
    {
        return minRttMs;
    }

    /**
     * A packet arrived: start the congestion controller's packet.
     */
    void beginPacket()
    {
        receivePacketStamp++;
        ackInPacket = false;
        maxTsnAckAtPacketStart = maxTsnAck;
        congestionControl.onPacketStart(outstandingBytes);
    }

    /**
     * @return true when the packet acknowledged a flow of ours.
     */
    boolean ackInPacket()
    {
        return ackInPacket;
    }

    /**
     * An acknowledgement of a flow of ours: the retransmission alarm restarts (§3.6.2.6).
     *
     * @param nowNs now.
     */
    void onAcknowledgement(final long nowNs)
    {
        ackInPacket = true;
        if (SessionFlows.NONE != retransmitAlarmNs)
        {
            retransmitAlarmNs = nowNs + TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs());
        }
    }

    /**
     * @param flow an acknowledged flow.
     * @return the congestion control its acknowledgements go to (its own one starting this packet, or the session's).
     */
    CongestionControl congestionControlFor(final SendFlow flow)
    {
        final CongestionControl own = flow.ownCongestionControl;
        if (null == own)
        {
            return congestionControl;
        }
        if (flow.firstAckInPacket(receivePacketStamp))
        {
            own.onPacketStart(flow.outstandingBytes);
        }
        return own;
    }

    /**
     * §3.6.2.4 step 4: the far end acknowledged {@code from..to} of the flow.
     */
    void acknowledge(
        final SendFlow flow, final CongestionControl cc, final long from, final long to, final long nowNs)
    {
        final long first = Math.max(from, flow.headSn);
        final long last = Math.min(to, flow.nextSn - 1);
        for (long sn = first; sn <= last; sn++)
        {
            final long entryTsn = flow.tsnOf(sn);
            final int bytes = flow.acknowledge(sn, nowNs);
            if (bytes > 0)
            {
                if (null == flow.ownCongestionControl)
                {
                    outstandingBytes -= bytes;
                }
                cc.onAcknowledged(bytes);
                if (entryTsn > maxTsnAck)
                {
                    maxTsnAck = entryTsn;
                }
            }
        }
    }

    /**
     * The end of a packet that acknowledged something: negative acknowledgements (§3.6.2.5), then the congestion
     * controllers' packet end (§3.5.2), and flows that completed.
     *
     * @param nowNs    now.
     * @param tcSent   time-critical data sent within the last 800 ms (§3.5.2.1).
     * @param fastGrow no time-critical data seen either way within 800 ms.
     */
    void endPacket(final long nowNs, final boolean tcSent, final boolean fastGrow)
    {
        final int count = flows.sendCount();
        if (maxTsnAck > maxTsnAckAtPacketStart || outstandingBytesAll() > 0)
        {
            for (int i = 0; i < count; i++)
            {
                final SendFlow flow = flows.sendFlowAt(i);
                if (flow.outstandingFragments > 0)
                {
                    final long lost = flow.negativeAcknowledge(maxTsnAck, congestionControlFor(flow));
                    if (lost > 0 && null == flow.ownCongestionControl)
                    {
                        outstandingBytes -= lost;
                    }
                }
            }
        }
        final RoundTripTime rtt = session.rtt();
        final long srtt = rtt.srttMs();
        if (srtt >= 0 && (minRttMs < 0 || rtt.lastMs() < minRttMs))
        {
            minRttMs = rtt.lastMs();
        }
        congestionControl.onPacketEnd(nowNs, srtt, minRttMs, tcSent, fastGrow);
        for (int i = 0; i < count; i++)
        {
            final SendFlow flow = flows.sendFlowAt(i);
            if (null != flow.ownCongestionControl && flow.ackedInPacket(receivePacketStamp))
            {
                flow.ownCongestionControl.onPacketEnd(nowNs, srtt, minRttMs, tcSent, fastGrow);
            }
            flow.afterAcknowledgements(nowNs);
        }
        if (0 == outstandingBytesAll())
        {
            retransmitAlarmNs = SessionFlows.NONE;
        }
    }

    private long outstandingBytesAll()
    {
        long sum = 0;
        for (int i = 0, count = flows.sendCount(); i < count; i++)
        {
            sum += flows.sendFlowAt(i).outstandingBytes;
        }
        return sum;
    }

    /**
     * A fragment of {@code bytes} went out on the flow.
     */
    void sent(final SendFlow flow, final int bytes)
    {
        if (null == flow.ownCongestionControl)
        {
            outstandingBytes += bytes;
        }
    }

    /**
     * A packet with data went out: the retransmission alarm restarts at ERTO.
     *
     * @param nowNs now.
     */
    void dataSent(final long nowNs)
    {
        retransmitAlarmNs = nowNs + TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs());
        timers.ensure(session, retransmitAlarmNs);
    }

    /**
     * @return the retransmission alarm, or {@link SessionFlows#NONE}.
     */
    long alarmNs()
    {
        return retransmitAlarmNs;
    }

    /**
     * §3.6.2.6: the retransmission alarm, if due, declares everything in flight lost.
     *
     * @param nowNs now.
     * @return true when it fired (the session may send again).
     */
    boolean onTimer(final long nowNs)
    {
        if (SessionFlows.NONE == retransmitAlarmNs || nowNs - retransmitAlarmNs < 0)
        {
            return false;
        }
        retransmitAlarmNs = SessionFlows.NONE;
        boolean wasLoss = false;
        for (int i = 0, count = flows.sendCount(); i < count; i++)
        {
            final SendFlow flow = flows.sendFlowAt(i);
            final boolean flowLoss = flow.timeout();
            wasLoss |= flowLoss;
            if (null != flow.ownCongestionControl)
            {
                flow.ownCongestionControl.onTimeout(flowLoss);
            }
        }
        outstandingBytes = 0;
        if (wasLoss)
        {
            session.rtt().backOff();
            counters.retransmissionTimeouts.incrementRelease();
        }
        congestionControl.onTimeout(wasLoss);
        return true;
    }
}
