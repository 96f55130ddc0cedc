package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointCounters;
import io.flowcast.engine.session.PacketWriter;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionState;

import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.engine.cc.CongestionControl;

/**
 * What a session sends and when, RFC 7016 §3.5.2 and §3.6.2.3: obligatory acknowledgements first, then fragments of
 * the ready flows by priority (round robin among equals) while the congestion window, burst avoidance (at most six
 * data packets between acknowledgements, §3.5.2.3) and the far ends' receive windows allow, with pending
 * acknowledgements riding along; marks time-critical packets (§3.5.2.1); sends buffer probes (§3.6.2.9.1). At most
 * 64 packets per flush, so sessions take turns. Agent thread only.
 */
final class TransmitScheduler
{
    static final int BURST_PACKETS = 6;
    static final int MAX_PACKETS_PER_FLUSH = 64;

    private final SessionFlows flows;
    private final Session session;
    private final CongestionControl congestionControl;
    private final AckScheduler acks;
    private final LossDetector loss;
    private final PacketWriter writer;
    private final EndpointCounters counters;
    private int dataPacketCount;
    private int roundRobin;
    private long packetStamp;
    private long lastTimeCriticalSentNs = Long.MIN_VALUE / 2;

    TransmitScheduler(
        final SessionFlows flows, final Session session, final CongestionControl congestionControl,
        final AckScheduler acks, final LossDetector loss, final PacketWriter writer, final EndpointCounters counters)
    {
        this.flows = flows;
        this.session = session;
        this.congestionControl = congestionControl;
        this.acks = acks;
        this.loss = loss;
        this.writer = writer;
        this.counters = counters;
    }

    /**
     * §3.5.2.3: an acknowledgement (or the retransmission alarm) ends the burst.
     */
    void resetBurst()
    {
        dataPacketCount = 0;
    }

    /**
     * @return when this session last sent a time-critical packet, ns.
     */
    long lastTimeCriticalSentNs()
    {
        return lastTimeCriticalSentNs;
    }

    /**
     * Send what the session may.
     *
     * @param withData false to send only the acknowledgements due (data waits for the flush at the end of the
     *                 duty cycle).
     * @param nowNs    now.
     */
    void send(final boolean withData, final long nowNs)
    {
        if (SessionState.OPEN != session.state())
        {
            return;
        }
        final PacketAssembler assembler = writer.assembler();
        int packets = 0;
        while (packets < MAX_PACKETS_PER_FLUSH)
        {
            final boolean acksDue = acks.due();
            SendFlow flow = withData && dataPacketCount < BURST_PACKETS ? pickFlow(nowNs) : null;
            if (!acksDue && null == flow)
            {
                acks.idle();
                break;
            }
            if (!writer.beginSessionPacket(session, PacketWriter.DATA_PACKET_LIMIT))
            {
                break;
            }
            packetStamp++;
            if (acks.pending())
            {
                acks.append(assembler, null == flow);
            }
            boolean data = false;
            boolean timeCritical = false;
            while (null != flow)
            {
                final long sn = flow.nextEligible(nowNs);
                if (sn < 0)
                {
                    flow = pickFlow(nowNs);
                    continue;
                }
                flow.trimHead();
                if (sn < flow.headSn)
                {
                    continue; // §3.6.2.3: trimming took the entry (an abandoned head): its FSN would pass it
                }
                final long fsn = flow.forwardSequenceNumber();
                final int written = flow.assemble(assembler, sn, fsn, packetStamp);
                if (0 == written)
                {
                    break;
                }
                counters.fragmentsSent.incrementRelease();
                loss.sent(flow, written);
                data = true;
                timeCritical |= flow.timeCriticalAt(sn);
                if (!budgetAllows(flow) || !flow.readyToTransmit(nowNs))
                {
                    flow = pickFlow(nowNs);
                }
            }
            if (data)
            {
                dataPacketCount++;
                loss.dataSent(nowNs);
                if (timeCritical)
                {
                    writer.timeCritical();
                    lastTimeCriticalSentNs = nowNs;
                }
            }
            if (0 == assembler.chunkCount())
            {
                break;
            }
            writer.sendSessionPacket(session);
            packets++;
        }
        if (packets == MAX_PACKETS_PER_FLUSH || !withData)
        {
            flows.requestFlush(); // more next duty cycle, after other sessions had their turn
        }
        session.publishFlowCounters(congestionControl.window(), loss.outstandingBytes(), flows.retransmissionsTotal());
    }

    private boolean budgetAllows(final SendFlow flow)
    {
        final CongestionControl own = flow.ownCongestionControl;
        return null == own ? loss.outstandingBytes() < congestionControl.window() : flow.outstandingBytes < own.window();
    }

    private SendFlow pickFlow(final long nowNs)
    {
        SendFlow best = null;
        int bestPriority = -1;
        final int count = flows.sendCount();
        int i = roundRobin < count ? roundRobin : 0;
        for (int k = 0; k < count; k++, i = i + 1 == count ? 0 : i + 1) // no division per flow: this runs per fragment
        {
            final SendFlow flow = flows.sendFlowAt(i);
            if (budgetAllows(flow) && flow.readyToTransmit(nowNs))
            {
                final int priority = flow.nextPriority();
                if (priority > bestPriority)
                {
                    best = flow;
                    bestPriority = priority;
                }
            }
        }
        if (null != best && count > 0)
        {
            roundRobin = roundRobin + 1 >= count ? 0 : roundRobin + 1;
        }
        return best;
    }

    /**
     * §3.6.2.9.1: probe the flows whose far end advertised no buffer, on their back-off.
     *
     * @param nowNs now.
     */
    void probeBuffers(final long nowNs)
    {
        for (int i = 0, count = flows.sendCount(); i < count; i++)
        {
            final SendFlow flow = flows.sendFlowAt(i);
            if (flow.probing() && nowNs - flow.nextProbeNs() >= 0)
            {
                flow.probed(sendBufferProbe(flow), nowNs, session.rtt().ertoMs());
            }
        }
    }

    private boolean sendBufferProbe(final SendFlow flow)
    {
        if (!writer.beginSessionPacket(session, PacketWriter.DATA_PACKET_LIMIT))
        {
            return false;
        }
        if (writer.assembler().appendBufferProbe(flow.flowId) > 0)
        {
            counters.bufferProbesSent.incrementRelease();
            writer.sendSessionPacket(session);
            return true;
        }
        return false;
    }
}
