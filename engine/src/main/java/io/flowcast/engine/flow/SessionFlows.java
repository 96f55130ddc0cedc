package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointCounters;
import io.flowcast.engine.session.PacketWriter;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionServices;
import io.flowcast.engine.session.SessionTimers;

import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.codec.Vlu;
import io.flowcast.engine.cc.CongestionControl;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.CachedNanoClock;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The flows of one open session (RFC 7016 §3.6): the sending and receiving flows by ID, the application's flow
 * events, and the session-wide parts of their transport, each in a class of its own: acknowledgement timing
 * ({@link AckScheduler}, §3.6.3.4), what is in flight and lost ({@link LossDetector}, §3.6.2.4–§3.6.2.6) and what is
 * sent next ({@link TransmitScheduler}, §3.5.2). The agent hands it the flow chunks of each received packet between
 * {@link #beginPacket} and {@link #endPacket}. Owned by the agent thread.
 */
public final class SessionFlows
{
    static final long NONE = Long.MAX_VALUE;
    static final long TIME_CRITICAL_WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(800);
    static final long RECEIVE_LINGER_NS = TimeUnit.SECONDS.toNanos(120);
    static final long SWEEP_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    final Session session;
    private final SessionServices services;
    private final CachedNanoClock clock;
    private final PacketWriter writer;
    private final SessionTimers timers;
    private final EndpointCounters counters;
    private final EndpointContext context;
    private final CongestionControl congestionControl;
    private final AckScheduler acks;
    private final LossDetector loss;
    private final TransmitScheduler transmit;
    private final Long2ObjectHashMap<SendFlow> sendFlows = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ReceiveFlow> receiveFlows = new Long2ObjectHashMap<>();
    private SendFlow[] sendList = new SendFlow[4];
    private int sendCount;

    private FlowListener listener;
    private long lastTimeCriticalReverseNs = Long.MIN_VALUE / 2;
    private long queuedBytes;
    private long nextFlowId = 1;
    private boolean userDataInPacket;
    private long nextSweepNs;
    private long retransmissionsTotal;
    private boolean flushRequested;

    /**
     * The flows of a session entering S_OPEN.
     *
     * @param session  the session.
     * @param services its endpoint's.
     */
    public SessionFlows(final Session session, final SessionServices services)
    {
        this.session = session;
        this.services = services;
        this.clock = services.clock();
        this.writer = services.writer();
        this.timers = services.timers();
        this.counters = services.counters();
        this.context = services.context();
        this.congestionControl = context.congestionControl().get();
        this.acks = new AckScheduler(this, counters);
        this.loss = new LossDetector(this, session, congestionControl, timers, counters);
        this.transmit = new TransmitScheduler(this, session, congestionControl, acks, loss, writer, counters);
        this.nextSweepNs = clock.nanoTime() + SWEEP_INTERVAL_NS;
    }

    /**
     * @param listener the session's flow events (wins over the endpoint's), or null.
     */
    public void listener(final FlowListener listener)
    {
        this.listener = listener;
    }

    int sendCount()
    {
        return sendCount;
    }

    SendFlow sendFlowAt(final int index)
    {
        return sendList[index];
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

    public CongestionControl congestionControl()
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
        return loss.nextTransmissionSequenceNumber();
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
        acks.ackNow(flow);
    }

    void ackLater(final ReceiveFlow flow)
    {
        acks.ackLater(flow, clock.nanoTime());
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

    public SendFlow openFlow(final byte[] metadata, final ReceiveFlow returnFor, final FlowOptions options)
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

    /**
     * A packet of the session arrived; its flow chunks follow, then {@link #endPacket()}.
     *
     * @param timeCriticalReverse the packet's TCR flag (§3.5.2.1).
     */
    public void beginPacket(final boolean timeCriticalReverse)
    {
        userDataInPacket = false;
        loss.beginPacket();
        if (timeCriticalReverse)
        {
            lastTimeCriticalReverseNs = clock.nanoTime();
        }
    }

    /**
     * §3.6.3.1–§3.6.3.2 for one User Data or Next User Data chunk (already wrapped).
     */
    public void onUserData(final UserDataChunk chunk)
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
        ackNow(flow);
        return flow;
    }

    /**
     * §3.6.3.5: a Buffer Probe asks a receiving flow to acknowledge.
     *
     * @param flowId the flow.
     */
    public void onBufferProbe(final long flowId)
    {
        final ReceiveFlow flow = receiveFlows.get(flowId);
        if (null != flow && ReceiveFlow.RF_CLOSED != flow.state)
        {
            flow.onBufferProbe();
        }
    }

    /**
     * A Data Acknowledgement Bitmap chunk (§2.3.13) for a sending flow.
     *
     * @param chunk wrapped.
     */
    public void onAckBitmap(final DataAckBitmapChunk chunk)
    {
        final SendFlow flow = ackedFlow(chunk.flowId(), chunk.bufferBlocksAvailable());
        if (null == flow)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        final CongestionControl cc = loss.congestionControlFor(flow);
        loss.acknowledge(flow, cc, 0, chunk.cumulativeAck(), nowNs);
        while (DataAckBitmapChunk.RANGE == chunk.nextRange())
        {
            loss.acknowledge(flow, cc, chunk.rangeFrom(), chunk.rangeTo(), nowNs);
        }
    }

    /**
     * A Data Acknowledgement Ranges chunk (§2.3.14) for a sending flow.
     *
     * @param chunk wrapped.
     */
    public void onAckRanges(final DataAckRangesChunk chunk)
    {
        final SendFlow flow = ackedFlow(chunk.flowId(), chunk.bufferBlocksAvailable());
        if (null == flow)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        final CongestionControl cc = loss.congestionControlFor(flow);
        loss.acknowledge(flow, cc, 0, chunk.cumulativeAck(), nowNs);
        while (DataAckRangesChunk.RANGE == chunk.nextRange())
        {
            loss.acknowledge(flow, cc, chunk.rangeFrom(), chunk.rangeTo(), nowNs);
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
        final long nowNs = clock.nanoTime();
        loss.onAcknowledgement(nowNs);
        transmit.resetBurst(); // §3.5.2.3
        if (flow.onAcknowledgement(bufferBlocksAvailable, nowNs, session.rtt().ertoMs()))
        {
            timers.ensure(session, flow.nextProbeNs());
        }
        return flow;
    }

    /**
     * §3.6.2.10: a Flow Exception Report for a sending flow.
     *
     * @param flowId the flow.
     * @param code   the exception code.
     */
    public void onFlowException(final long flowId, final long code)
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
        if (flow.onException(code))
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

    /**
     * The packet's chunks were handled: what acknowledgements tell (loss, congestion), then what to answer — every
     * second packet with user data is acknowledged at once (§3.6.3.2), so the sender's window is clocked by acks;
     * other answers wait for the end of the poll batch, where the answers to every packet of the batch share
     * packets (and the burst budget of §3.5.2.3); acknowledgements clock out new data at once.
     */
    public void endPacket()
    {
        final long nowNs = clock.nanoTime();
        final boolean ackInPacket = loss.ackInPacket();
        if (ackInPacket)
        {
            final boolean tcSent = nowNs - transmit.lastTimeCriticalSentNs() < TIME_CRITICAL_WINDOW_NS;
            final boolean fastGrow = nowNs - lastTimeCriticalReverseNs >= TIME_CRITICAL_WINDOW_NS &&
                nowNs - writer.lastTimeCriticalSentNs() >= TIME_CRITICAL_WINDOW_NS;
            loss.endPacket(nowNs, tcSent, fastGrow);
        }
        if (userDataInPacket)
        {
            if (acks.onUserDataPacket())
            {
                transmit.send(false, nowNs);
            }
            else
            {
                requestFlush();
            }
        }
        else if (ackInPacket)
        {
            transmit.send(true, nowNs);
        }
    }

    public long retransmissionsTotal()
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
    public void flush()
    {
        flushRequested = false;
        transmit.send(true, clock.nanoTime());
    }

    // -------------------------------------------------------------------------------------------------- timers

    /**
     * @return the earliest flow alarm, or {@link #NONE}.
     */
    public long nextAlarmNs()
    {
        long next = Math.min(loss.alarmNs(), acks.alarmNs());
        next = Math.min(next, nextSweepNs);
        for (int i = 0; i < sendCount; i++)
        {
            final SendFlow flow = sendList[i];
            if (flow.probing())
            {
                next = Math.min(next, flow.nextProbeNs());
            }
        }
        return next;
    }

    /**
     * The session's timer fired: the retransmission alarm, delayed acknowledgement, buffer probes, linger sweep.
     *
     * @param nowNs now.
     */
    public void onTimer(final long nowNs)
    {
        if (loss.onTimer(nowNs))
        {
            transmit.resetBurst();
            requestFlush();
        }
        if (acks.onTimer(nowNs))
        {
            requestFlush();
        }
        transmit.probeBuffers(nowNs);
        if (nowNs - nextSweepNs >= 0)
        {
            nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
            sweep(nowNs);
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
            if (flow.lingerEnded(nowNs))
            {
                flow.closed();
                sendFlows.remove(flow.flowId);
                sendList[i] = sendList[--sendCount];
                sendList[sendCount] = null;
            }
        }
        ArrayList<ReceiveFlow> expired = null;
        for (final ReceiveFlow flow : receiveFlows.values())
        {
            if (flow.lingerEnded(nowNs))
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
                acks.unlist(flow);
                flow.release();
                receiveFlows.remove(flow.flowId);
            }
        }
    }

    /**
     * The session closed: every flow ends where it is.
     */
    public void close()
    {
        for (int i = 0; i < sendCount; i++)
        {
            sendList[i].closed();
            sendList[i] = null;
        }
        sendCount = 0;
        for (final ReceiveFlow flow : receiveFlows.values())
        {
            flow.release();
        }
        receiveFlows.clear();
        sendFlows.clear();
        acks.clear();
    }

    // --------------------------------------------------------------------------------------------- accessors

    public SendFlow sendFlow(final long flowId)
    {
        return sendFlows.get(flowId);
    }

    public ReceiveFlow receiveFlow(final long flowId)
    {
        return receiveFlows.get(flowId);
    }

    public int receiveFlowCount()
    {
        return receiveFlows.size();
    }

    public long outstandingBytes()
    {
        return loss.outstandingBytes();
    }

    public long minRttMs()
    {
        return loss.minRttMs();
    }
}
