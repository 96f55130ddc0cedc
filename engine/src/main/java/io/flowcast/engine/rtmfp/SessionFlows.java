package io.flowcast.engine.rtmfp;

import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.codec.Vlu;
import io.flowcast.engine.rtmfp.flow.CongestionControl;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The flows of one open session (RFC 7016 §3.6) and the session-wide parts of their transport: transmission sequence
 * numbers and negative acknowledgement (§3.6.2.5), the retransmission alarm (§3.6.2.6), burst avoidance (§3.5.2.3),
 * the congestion window (§3.5.2), time-critical notifications (§3.5.2.1), and acknowledgement timing — delayed,
 * obligatory and piggybacked (§3.6.3.4). Owned by the agent thread.
 */
final class SessionFlows
{
    static final long NONE = Long.MAX_VALUE;
    static final long DELAYED_ACK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long TIME_CRITICAL_WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(800);
    static final long SEND_LINGER_NS = TimeUnit.SECONDS.toNanos(130);
    static final long RECEIVE_LINGER_NS = TimeUnit.SECONDS.toNanos(120);
    static final long SWEEP_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_PROBE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(60);
    static final int BURST_PACKETS = 6;
    static final int MAX_PACKETS_PER_FLUSH = 64;
    static final int MAX_ACK_RANGES = 128;
    static final int MAX_BITMAP_BYTES = 512;

    final Session session;
    private final SessionServices services;
    private final org.agrona.concurrent.CachedNanoClock clock;
    private final PacketWriter writer;
    private final SessionTimers timers;
    private final EndpointCounters counters;
    private final EndpointContext context;
    private final CongestionControl congestionControl;
    private final Long2ObjectHashMap<SendFlow> sendFlows = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ReceiveFlow> receiveFlows = new Long2ObjectHashMap<>();
    private SendFlow[] sendList = new SendFlow[4];
    private int sendCount;
    private ReceiveFlow[] ackList = new ReceiveFlow[4];
    private int ackCount;
    private int roundRobin;

    FlowListener listener;
    private boolean ackNowFlag;
    private long delayedAckNs = NONE;
    private int rxDataPackets;
    private long outstandingBytes;
    private int dataPacketCount;
    private long nextTsn = 1;
    private long maxTsnAck;
    private long maxTsnAckAtPacketStart;
    private long retransmitAlarmNs = NONE;
    private long lastTimeCriticalSentNs = Long.MIN_VALUE / 2;
    private long lastTimeCriticalReverseNs = Long.MIN_VALUE / 2;
    private long minRttMs = -1;
    private long queuedBytes;
    private long nextFlowId = 1;
    private long packetStamp;
    private long receivePacketStamp;
    private boolean userDataInPacket;
    private boolean ackInPacket;
    private long nextSweepNs;
    private long retransmissionsTotal;
    private boolean flushRequested;

    private final long[] ranges = new long[2 * MAX_ACK_RANGES];
    private final UnsafeBuffer bitmap = new UnsafeBuffer(new byte[MAX_BITMAP_BYTES]);

    SessionFlows(final Session session, final SessionServices services)
    {
        this.session = session;
        this.services = services;
        this.clock = services.clock();
        this.writer = services.writer();
        this.timers = services.timers();
        this.counters = services.counters();
        this.context = services.context();
        this.congestionControl = context.congestionControl().get();
        this.nextSweepNs = clock.nanoTime() + SWEEP_INTERVAL_NS;
    }

    // ------------------------------------------------------------------------------------------ used by the flows

    long nowNs()
    {
        return clock.nanoTime();
    }

    EndpointCounters counters()
    {
        return counters;
    }

    CongestionControl congestionControl()
    {
        return congestionControl;
    }

    long receiveLingerNs()
    {
        return RECEIVE_LINGER_NS;
    }

    MutableDirectBuffer assemblyBuffer()
    {
        return services.assemblyBuffer();
    }

    long nextTransmissionSequenceNumber()
    {
        return nextTsn++;
    }

    boolean reserveQueuedBytes(final int length)
    {
        if (queuedBytes + length > context.sessionBufferBytes())
        {
            return false;
        }
        queuedBytes += length;
        return true;
    }

    /** Make sure the session's timer fires by {@code deadlineNs}. */
    void ensureTimer(final long deadlineNs)
    {
        timers.ensure(session, deadlineNs);
    }

    void releaseQueuedBytes(final int length)
    {
        queuedBytes -= length;
    }

    void ackNow(final ReceiveFlow flow)
    {
        listForAck(flow);
        ackNowFlag = true;
        requestFlush();
    }

    void ackLater(final ReceiveFlow flow)
    {
        listForAck(flow);
        if (NONE == delayedAckNs)
        {
            delayedAckNs = clock.nanoTime() + DELAYED_ACK_NS;
            timers.ensure(session, delayedAckNs);
        }
    }

    private void listForAck(final ReceiveFlow flow)
    {
        flow.shouldAck = true;
        if (flow.ackIndex < 0)
        {
            if (ackCount == ackList.length)
            {
                ackList = java.util.Arrays.copyOf(ackList, ackCount * 2);
            }
            flow.ackIndex = ackCount;
            ackList[ackCount++] = flow;
        }
    }

    private void unlistForAck(final ReceiveFlow flow)
    {
        final int index = flow.ackIndex;
        if (index >= 0)
        {
            final ReceiveFlow last = ackList[--ackCount];
            ackList[index] = last;
            last.ackIndex = index;
            ackList[ackCount] = null;
            flow.ackIndex = -1;
        }
    }

    void requestFlush()
    {
        if (!flushRequested)
        {
            flushRequested = true;
            services.flushQueue().request(session);
        }
    }

    void deliver(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        counters.messagesDelivered.incrementRelease();
        final FlowListener target = listenerOf(flow);
        if (null != target)
        {
            try
            {
                target.onMessage(flow, buffer, offset, length);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
    }

    void onGap(final ReceiveFlow flow)
    {
        final FlowListener target = listenerOf(flow);
        if (null != target)
        {
            try
            {
                target.onGap(flow);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
    }

    void onReceiveFlowClosed(final ReceiveFlow flow)
    {
        final FlowListener target = listenerOf(flow);
        if (null != target)
        {
            try
            {
                target.onFlowClosed(flow);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
    }

    private FlowListener listenerOf(final ReceiveFlow flow)
    {
        if (null != flow.listener)
        {
            return flow.listener;
        }
        return null != listener ? listener : context.flowListener();
    }

    // ------------------------------------------------------------------------------------------------- opening

    SendFlow openFlow(final byte[] metadata, final ReceiveFlow returnFor, final FlowOptions options)
    {
        if (metadata.length > context.maxMetadataLength())
        {
            throw new IllegalArgumentException("metadata longer than " + context.maxMetadataLength() + " bytes");
        }
        if (sendCount >= context.maxSendFlowsPerSession())
        {
            return null;
        }
        final long returnFlowId = null == returnFor ? -1 : returnFor.flowId;
        final int optionBytes = metadata.length + 8 + (returnFlowId >= 0 ? 12 : 0);
        // §3.6.2.2: a fragment, with a maximal header, chunk header and the startup options, fits a packet
        final int maxFragment = PacketWriter.DATA_PACKET_LIMIT - 5 - 3 - 1 - 3 * Vlu.MAX_LENGTH - optionBytes;
        final long flowId = nextFlowId++;
        final SendFlow flow = new SendFlow(session, this, flowId, metadata, returnFlowId, options, maxFragment);
        sendFlows.put(flowId, flow);
        if (sendCount == sendList.length)
        {
            sendList = java.util.Arrays.copyOf(sendList, sendCount * 2);
        }
        sendList[sendCount++] = flow;
        counters.sendFlowsOpened.incrementRelease();
        return flow;
    }

    // ------------------------------------------------------------------------------------------------- receive

    void beginPacket(final boolean timeCriticalReverse)
    {
        receivePacketStamp++;
        userDataInPacket = false;
        ackInPacket = false;
        maxTsnAckAtPacketStart = maxTsnAck;
        congestionControl.onPacketStart(outstandingBytes);
        if (timeCriticalReverse)
        {
            lastTimeCriticalReverseNs = clock.nanoTime();
        }
    }

    /**
     * §3.6.3.1–§3.6.3.2 for one User Data or Next User Data chunk (already wrapped).
     */
    void onUserData(final UserDataChunk chunk)
    {
        userDataInPacket = true;
        counters.fragmentsReceived.incrementRelease();
        final long flowId = chunk.flowId();
        ReceiveFlow flow = receiveFlows.get(flowId);
        if (null == flow)
        {
            flow = startReceiveFlow(chunk);
            if (null == flow)
            {
                return;
            }
        }
        else if (ReceiveFlow.RF_OPEN == flow.state && chunk.hasUnknownMandatoryOption())
        {
            flow.reject(0);
        }
        flow.onUserData(chunk, clock.nanoTime());
    }

    private ReceiveFlow startReceiveFlow(final UserDataChunk chunk)
    {
        if (receiveFlows.size() >= context.maxReceiveFlowsPerSession())
        {
            counters.fragmentsDroppedNoRoom.incrementRelease();
            return null;
        }
        final long flowId = chunk.flowId();
        final int metadataLength = chunk.metadataLength();
        final byte[] metadata;
        if (metadataLength >= 0)
        {
            metadata = new byte[metadataLength];
            if (metadataLength > 0)
            {
                chunk.buffer().getBytes(chunk.metadataOffset(), metadata);
            }
        }
        else
        {
            metadata = null;
        }
        final long returnFlowId = chunk.returnFlowId();
        final SendFlow association = returnFlowId >= 0 ? sendFlows.get(returnFlowId) : null;
        final ReceiveFlow flow = new ReceiveFlow(
            session, this, flowId, null == metadata ? new byte[0] : metadata, returnFlowId, association,
            context.flowBufferBytes(), context.maxReorderFragments(), context.measureFlowLatency());
        receiveFlows.put(flowId, flow);
        counters.receiveFlowsOpened.incrementRelease();
        // §3.6.3.1 steps 5–8
        if (null == metadata || (returnFlowId >= 0 && (null == association || SendFlow.F_OPEN != association.state)) ||
            chunk.hasUnknownMandatoryOption())
        {
            flow.reject(0);
        }
        else
        {
            final FlowListener target = listenerOf(flow);
            if (null != target)
            {
                try
                {
                    target.onFlowOpened(flow);
                }
                catch (final RuntimeException ex)
                {
                    services.listenerFailed(ex);
                }
            }
            else
            {
                flow.reject(0);
            }
        }
        flow.shouldAck = true;
        ackNow(flow);
        return flow;
    }

    void onBufferProbe(final long flowId)
    {
        final ReceiveFlow flow = receiveFlows.get(flowId);
        if (null != flow && ReceiveFlow.RF_CLOSED != flow.state)
        {
            flow.onBufferProbe();
        }
    }

    void onAckBitmap(final DataAckBitmapChunk chunk)
    {
        final SendFlow flow = ackedFlow(chunk.flowId(), chunk.bufferBlocksAvailable());
        if (null == flow)
        {
            return;
        }
        final CongestionControl cc = ccFor(flow);
        acknowledgeRange(flow, cc, 0, chunk.cumulativeAck());
        while (DataAckBitmapChunk.RANGE == chunk.nextRange())
        {
            acknowledgeRange(flow, cc, chunk.rangeFrom(), chunk.rangeTo());
        }
    }

    void onAckRanges(final DataAckRangesChunk chunk)
    {
        final SendFlow flow = ackedFlow(chunk.flowId(), chunk.bufferBlocksAvailable());
        if (null == flow)
        {
            return;
        }
        final CongestionControl cc = ccFor(flow);
        acknowledgeRange(flow, cc, 0, chunk.cumulativeAck());
        while (DataAckRangesChunk.RANGE == chunk.nextRange())
        {
            acknowledgeRange(flow, cc, chunk.rangeFrom(), chunk.rangeTo());
        }
    }

    private SendFlow ackedFlow(final long flowId, final long bufferBlocksAvailable)
    {
        counters.acksReceived.incrementRelease();
        final SendFlow flow = sendFlows.get(flowId);
        if (null == flow || SendFlow.F_CLOSED == flow.state)
        {
            return null;
        }
        ackInPacket = true;
        dataPacketCount = 0; // §3.5.2.3
        if (NONE != retransmitAlarmNs)
        {
            retransmitAlarmNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs());
        }
        // §3.6.2.4 steps 2–3
        flow.startupOptionsPending = false;
        final long window = Math.min(bufferBlocksAvailable, Long.MAX_VALUE / 2048) * 1024;
        if (0 == window && 0 != flow.rxBufferSize)
        {
            // §3.6.2.9.1: probe within a second
            flow.probeIntervalNs = Math.max(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs()));
            flow.nextProbeNs = clock.nanoTime() + flow.probeIntervalNs;
            timers.ensure(session, flow.nextProbeNs);
        }
        flow.rxBufferSize = window;
        return flow;
    }

    private CongestionControl ccFor(final SendFlow flow)
    {
        final CongestionControl own = flow.ownCongestionControl;
        if (null == own)
        {
            return congestionControl;
        }
        if (flow.ccPacketStamp != receivePacketStamp)
        {
            flow.ccPacketStamp = receivePacketStamp;
            own.onPacketStart(flow.outstandingBytes);
        }
        return own;
    }

    private void acknowledgeRange(final SendFlow flow, final CongestionControl cc, final long from, final long to)
    {
        final long first = Math.max(from, flow.headSn);
        final long last = Math.min(to, flow.nextSn - 1);

        final long nowNs = clock.nanoTime();
        for (long sn = first; sn <= last; sn++)
        {
            final long entryTsn = flow.tsn[flow.index(sn)];
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

    void onFlowException(final long flowId, final long code)
    {
        final SendFlow flow = sendFlows.get(flowId);
        if (null == flow || SendFlow.F_CLOSED == flow.state)
        {
            return;
        }
        if (!flow.exception)
        {
            counters.flowExceptionsReceived.incrementRelease();
        }
        // §3.6.2.10
        final boolean wasOpen = SendFlow.F_OPEN == flow.state;
        if (wasOpen)
        {
            flow.close();
        }
        flow.exception = true;
        flow.exceptionCode = code;
        flow.abandonAll();
        if (wasOpen)
        {
            final FlowListener target = null != listener ? listener : context.flowListener();
            if (null != target)
            {
                try
                {
                    target.onSendFlowException(flow, code);
                }
                catch (final RuntimeException ex)
                {
                    services.listenerFailed(ex);
                }
            }
        }
        requestFlush();
    }

    void endPacket()
    {
        final long nowNs = clock.nanoTime();
        if (ackInPacket)
        {
            if (maxTsnAck > maxTsnAckAtPacketStart || anyInFlight())
            {
                for (int i = 0; i < sendCount; i++)
                {
                    final SendFlow flow = sendList[i];
                    if (flow.outstandingFragments > 0)
                    {
                        final long lost = flow.negativeAcknowledge(maxTsnAck, ccFor(flow));
                        if (lost > 0 && null == flow.ownCongestionControl)
                        {
                            outstandingBytes -= lost;
                        }
                    }
                }
            }
            final boolean tcSent = nowNs - lastTimeCriticalSentNs < TIME_CRITICAL_WINDOW_NS;
            final boolean fastGrow = nowNs - lastTimeCriticalReverseNs >= TIME_CRITICAL_WINDOW_NS &&
                nowNs - writer.lastTimeCriticalSentNs() >= TIME_CRITICAL_WINDOW_NS;
            final long srtt = session.rtt().srttMs();
            if (srtt >= 0 && (minRttMs < 0 || session.rtt().lastMs() < minRttMs))
            {
                minRttMs = session.rtt().lastMs();
            }
            congestionControl.onPacketEnd(nowNs, srtt, minRttMs, tcSent, fastGrow);
            for (int i = 0; i < sendCount; i++)
            {
                final SendFlow flow = sendList[i];
                if (null != flow.ownCongestionControl && flow.ccPacketStamp == receivePacketStamp)
                {
                    flow.ownCongestionControl.onPacketEnd(nowNs, srtt, minRttMs, tcSent, fastGrow);
                }
                flow.trimHead();
                if (flow.isComplete())
                {
                    flow.state = SendFlow.F_COMPLETE_LINGER;
                    flow.closedAtNs = nowNs;
                }
            }
            if (0 == outstandingBytesAll())
            {
                retransmitAlarmNs = NONE;
            }
        }
        if (userDataInPacket)
        {
            // §3.6.3.2: every second packet with user data is acknowledged at once, so the sender's window is
            // clocked by acks; what this end sends in answer waits for the end of the poll batch, where the answers
            // to every packet of the batch share packets (and the burst budget of §3.5.2.3)
            if (++rxDataPackets >= 2)
            {
                ackNowFlag = true;
                send(false);
            }
            else
            {
                requestFlush();
            }
        }
        else if (ackInPacket)
        {
            send(true); // acknowledgements clock out new data at once
        }
    }

    private boolean anyInFlight()
    {
        return outstandingBytesAll() > 0;
    }

    private long outstandingBytesAll()
    {
        long sum = 0;
        for (int i = 0; i < sendCount; i++)
        {
            sum += sendList[i].outstandingBytes;
        }
        return sum;
    }

    long retransmissionsTotal()
    {
        return retransmissionsTotal;
    }

    void retransmitted()
    {
        retransmissionsTotal++;
    }

    // ------------------------------------------------------------------------------------------------ transmit

    /**
     * Send what the session may: obligatory acknowledgements, then fragments of the ready flows by priority while the
     * congestion window, burst avoidance and the receive windows allow, piggybacking pending acknowledgements.
     */
    void flush()
    {
        flushRequested = false;
        send(true);
    }

    private void send(final boolean withData)
    {
        if (SessionState.OPEN != session.state())
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        final PacketAssembler assembler = writer.assembler();
        int packets = 0;
        while (packets < MAX_PACKETS_PER_FLUSH)
        {
            final boolean acksDue = ackNowFlag && ackCount > 0;
            SendFlow flow = withData && dataPacketCount < BURST_PACKETS ? pickFlow(nowNs) : null;
            if (!acksDue && null == flow)
            {
                if (ackNowFlag && 0 == ackCount)
                {
                    acksDone();
                }
                break;
            }
            if (!writer.beginSessionPacket(session, PacketWriter.DATA_PACKET_LIMIT))
            {
                break;
            }
            packetStamp++;
            if (ackCount > 0)
            {
                appendAcks(assembler, null == flow);
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
                final long fsn = flow.forwardSequenceNumber();
                final int written = flow.assemble(assembler, sn, fsn, packetStamp);
                if (0 == written)
                {
                    break;
                }
                counters.fragmentsSent.incrementRelease();
                if (null == flow.ownCongestionControl)
                {
                    outstandingBytes += written;
                }
                data = true;
                timeCritical |= 0 != (flow.entryFlags[flow.index(sn)] & SendFlow.TIME_CRITICAL);
                if (!budgetAllows(flow) || !flow.readyToTransmit(nowNs))
                {
                    flow = pickFlow(nowNs);
                }
            }
            if (data)
            {
                dataPacketCount++;
                retransmitAlarmNs = nowNs + TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs());
                timers.ensure(session, retransmitAlarmNs);
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
            requestFlush(); // more next duty cycle, after other sessions had their turn
        }
        session.publishFlowCounters(congestionControl.window(), outstandingBytes, retransmissionsTotal());
    }

    private boolean budgetAllows(final SendFlow flow)
    {
        final CongestionControl own = flow.ownCongestionControl;
        return null == own ? outstandingBytes < congestionControl.window() : flow.outstandingBytes < own.window();
    }

    private SendFlow pickFlow(final long nowNs)
    {
        SendFlow best = null;
        int bestPriority = -1;
        final int count = sendCount;
        int i = roundRobin < count ? roundRobin : 0;
        for (int k = 0; k < count; k++, i = i + 1 == count ? 0 : i + 1) // no division per flow: this runs per fragment
        {
            final SendFlow flow = sendList[i];
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
     * §3.6.3.4.5–6: acknowledgements for the flows that should ack; the first may be truncated when the packet is
     * mainly for it.
     */
    private void appendAcks(final PacketAssembler assembler, final boolean mainlyAcks)
    {
        boolean first = true;
        while (ackCount > 0)
        {
            final ReceiveFlow flow = ackList[ackCount - 1];
            final int start = assembler.position();
            final int startChunks = assembler.chunkCount();
            if (ReceiveFlow.RF_REJECTED == flow.state &&
                assembler.appendFlowExceptionReport(flow.flowId, flow.exceptionCode) <= 0)
            {
                break;
            }
            final long blocks = flow.bufferBlocksAvailable();
            final int written = appendAck(assembler, flow, blocks, first && mainlyAcks);
            if (written <= 0)
            {
                // does not fit: leave it (and anything already written for it) for the next packet
                assembler.rewind(start, startChunks);
                break;
            }
            first = false;
            flow.shouldAck = false;
            flow.prevRwnd = blocks;
            unlistForAck(flow);
            counters.acksSent.incrementRelease();
        }
        if (0 == ackCount)
        {
            acksDone();
        }
    }

    private void acksDone()
    {
        ackNowFlag = false;
        rxDataPackets = 0;
        delayedAckNs = NONE;
    }

    /**
     * §3.6.3.4.3: the more compact of a bitmap and a ranges acknowledgement of the flow's SEQUENCE_SET.
     */
    private int appendAck(
        final PacketAssembler assembler, final ReceiveFlow flow, final long blocks, final boolean mayTruncate)
    {
        final long csn = flow.csn;
        final long highest = flow.highestSeen();
        int rangeCount = 0;
        long rangeBytes = 0;
        long cursor = csn;
        boolean rangesTruncated = false;
        if (highest > csn + 1)
        {
            long s = csn + 2;
            while (s <= highest)
            {
                if (!flow.received(s))
                {
                    s++;
                    continue;
                }
                final long from = s;
                while (s + 1 <= highest && flow.received(s + 1))
                {
                    s++;
                }
                if (rangeCount == MAX_ACK_RANGES)
                {
                    rangesTruncated = true;
                    break;
                }
                ranges[2 * rangeCount] = from;
                ranges[2 * rangeCount + 1] = s;
                rangeBytes += Vlu.encodedLength(from - cursor - 2) + Vlu.encodedLength(s - from);
                cursor = s;
                rangeCount++;
                s++;
            }
        }
        final long bitmapBits = highest > csn + 1 ? highest - csn - 1 : 0;
        final long bitmapBytes = (bitmapBits + 7) / 8;
        if (!rangesTruncated && bitmapBytes <= MAX_BITMAP_BYTES && bitmapBytes < rangeBytes && rangeCount > 0)
        {
            bitmap.setMemory(0, (int)bitmapBytes, (byte)0);
            for (int r = 0; r < rangeCount; r++)
            {
                for (long sn = ranges[2 * r]; sn <= ranges[2 * r + 1]; sn++)
                {
                    final long bit = sn - csn - 2;
                    final int index = (int)(bit >> 3);
                    bitmap.putByte(index, (byte)(bitmap.getByte(index) | (1 << (bit & 7))));
                }
            }
            final int written = assembler.appendDataAckBitmap(flow.flowId, blocks, csn, bitmap, 0, (int)bitmapBytes);

            if (written > 0 || !mayTruncate)
            {
                return written;
            }
        }
        int count = rangeCount;
        while (true)
        {
            final int written = assembler.appendDataAckRanges(flow.flowId, blocks, csn, ranges, count);

            if (written > 0 || !mayTruncate || 0 == count)
            {
                return written == RtmfpError.NO_SPACE ? 0 : written;
            }
            count = count / 2; // §3.6.3.4.2: truncate the first acknowledgement of a packet rather than not send it
        }
    }

    // -------------------------------------------------------------------------------------------------- timers

    /**
     * @return the earliest flow alarm, or {@link #NONE}.
     */
    long nextAlarmNs()
    {
        long next = Math.min(retransmitAlarmNs, delayedAckNs);
        next = Math.min(next, nextSweepNs);
        for (int i = 0; i < sendCount; i++)
        {
            final SendFlow flow = sendList[i];
            if (probing(flow))
            {
                next = Math.min(next, flow.nextProbeNs);
            }
        }
        return next;
    }

    private static boolean probing(final SendFlow flow)
    {
        return 0 == flow.rxBufferSize && !flow.exception && flow.headSn < flow.nextSn &&
            (SendFlow.F_OPEN == flow.state || SendFlow.F_CLOSING == flow.state);
    }

    void onTimer(final long nowNs)
    {
        if (NONE != retransmitAlarmNs && nowNs - retransmitAlarmNs >= 0)
        {
            // §3.6.2.6
            retransmitAlarmNs = NONE;
            boolean wasLoss = false;
            for (int i = 0; i < sendCount; i++)
            {
                final SendFlow flow = sendList[i];
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
            dataPacketCount = 0;
            requestFlush();
        }
        if (NONE != delayedAckNs && nowNs - delayedAckNs >= 0)
        {
            delayedAckNs = NONE;
            if (ackCount > 0)
            {
                ackNowFlag = true;
                requestFlush();
            }
        }
        for (int i = 0; i < sendCount; i++)
        {
            final SendFlow flow = sendList[i];
            if (probing(flow) && nowNs - flow.nextProbeNs >= 0)
            {
                sendBufferProbe(flow);
                flow.probeIntervalNs = Math.min(flow.probeIntervalNs * 2,
                    Math.max(MAX_PROBE_INTERVAL_NS, TimeUnit.MILLISECONDS.toNanos(session.rtt().ertoMs())));
                flow.nextProbeNs = nowNs + flow.probeIntervalNs;
            }
        }
        if (nowNs - nextSweepNs >= 0)
        {
            nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
            sweep(nowNs);
        }
    }

    private void sendBufferProbe(final SendFlow flow)
    {
        if (!writer.beginSessionPacket(session, PacketWriter.DATA_PACKET_LIMIT))
        {
            return;
        }
        if (writer.assembler().appendBufferProbe(flow.flowId) > 0)
        {
            flow.bufferProbesSent++;
            counters.bufferProbesSent.incrementRelease();
            writer.sendSessionPacket(session);
        }
    }

    /**
     * Release flows whose linger ended (§3.6.2.11 130 s, §3.6.3.8 120 s).
     */
    private void sweep(final long nowNs)
    {
        for (int i = sendCount - 1; i >= 0; i--)
        {
            final SendFlow flow = sendList[i];
            if (SendFlow.F_COMPLETE_LINGER == flow.state && nowNs - flow.closedAtNs >= SEND_LINGER_NS)
            {
                flow.state = SendFlow.F_CLOSED;
                sendFlows.remove(flow.flowId);
                sendList[i] = sendList[--sendCount];
                sendList[sendCount] = null;
            }
        }
        ArrayList<ReceiveFlow> expired = null;
        for (final ReceiveFlow flow : receiveFlows.values())
        {
            if (ReceiveFlow.RF_COMPLETE_LINGER == flow.state && nowNs - flow.lingerUntilNs >= 0)
            {
                if (null == expired)
                {
                    expired = new ArrayList<>();
                }
                expired.add(flow);
            }
        }
        if (null != expired)
        {
            for (final ReceiveFlow flow : expired)
            {
                unlistForAck(flow);
                flow.release();
                receiveFlows.remove(flow.flowId);
            }
        }
    }

    /**
     * The session closed: every flow ends where it is.
     */
    void close()
    {
        for (int i = 0; i < sendCount; i++)
        {
            sendList[i].state = SendFlow.F_CLOSED;
            sendList[i] = null;
        }
        sendCount = 0;
        for (final ReceiveFlow flow : receiveFlows.values())
        {
            flow.release();
        }
        receiveFlows.clear();
        sendFlows.clear();
        ackCount = 0;
    }

    // --------------------------------------------------------------------------------------------- accessors

    SendFlow sendFlow(final long flowId)
    {
        return sendFlows.get(flowId);
    }

    ReceiveFlow receiveFlow(final long flowId)
    {
        return receiveFlows.get(flowId);
    }

    int receiveFlowCount()
    {
        return receiveFlows.size();
    }

    long outstandingBytes()
    {
        return outstandingBytes;
    }

    long minRttMs()
    {
        return minRttMs;
    }
}
