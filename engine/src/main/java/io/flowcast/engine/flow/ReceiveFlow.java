package io.flowcast.engine.flow;

import io.flowcast.engine.session.Session;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A receiving flow (RFC 7016 §3.6.3): the SEQUENCE_SET as a cumulative sequence number (CSN) plus a window of
 * per-sequence-number slots above it, and a RECV_BUFFER whose fragments are stored in 512-byte blocks of a
 * growable, bounded block store. A complete message in order with nothing buffered ahead is delivered straight from
 * the packet (no copy). Owned by the agent thread; {@link FlowListener} callbacks run there. This class is the
 * application's side; reassembly and delivery are in {@link ReceiveBuffer}, the blocks in {@link BlockStore}.
 */
public final class ReceiveFlow extends ReceiveBuffer
{
    ReceiveFlow(
        final Session session,
        final SessionFlows flows,
        final long flowId,
        final byte[] metadata,
        final long returnFlowId,
        final SendFlow association,
        final long bufferCapacity,
        final int maxSlots,
        final boolean measureLatency)
    {
        super(session, flows, flowId, metadata, returnFlowId, association, bufferCapacity, maxSlots, measureLatency);
    }

    // ------------------------------------------------------------------------------------------------------- API

    /**
     * Reject the flow (§3.6.3.7): buffered data is discarded and every acknowledgement carries a Flow Exception
     * Report with {@code code} until the sender closes. Agent thread only.
     *
     * @param code the exception code.
     */
    public void reject(final long code)
    {
        if (RF_OPEN != state)
        {
            return;
        }
        state = RF_REJECTED;
        exceptionCode = code;
        releaseAll();
        flows.ackNow(this);
        flows.counters().flowsRejected.incrementRelease();
    }

    /**
     * Suspend delivery (§3.6.3.3): complete messages are held, the buffer fills, and the receive window advertised to
     * the sender closes to zero once it is full (§3.6.3.5), which stops the sender until {@link #resume()}. Agent
     * thread only.
     */
    public void pause()
    {
        paused = true;
    }

    /**
     * Resume delivery: held messages are delivered now and the reopened window is advertised at once.
     */
    public void resume()
    {
        if (paused)
        {
            paused = false;
            deliverInOrder(flows.nowNs());
            flows.ackNow(this);
        }
    }

    /**
     * @return whether delivery is paused.
     */
    public boolean isPaused()
    {
        return paused;
    }

    /**
     * @param ordered true (default): deliver messages in the order they were queued; false: as soon as each is complete.
     */
    public void ordered(final boolean ordered)
    {
        this.ordered = ordered;
    }

    /**
     * @return whether delivery is ordered.
     */
    public boolean isOrdered()
    {
        return ordered;
    }

    /**
     * @param listener where this flow's messages go instead of the session's or endpoint's flow listener.
     */
    public void listener(final FlowListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return the flow ID the far end chose.
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return the session.
     */
    public Session session()
    {
        return session;
    }

    /**
     * @return the per-flow metadata (§2.3.11.1.1); do not modify.
     */
    public byte[] metadata()
    {
        return metadata;
    }

    /**
     * @return the flow ID of our sending flow this one answers (Return Flow Association), or -1.
     */
    public long returnFlowId()
    {
        return returnFlowId;
    }

    /**
     * @return our sending flow this one answers, or null.
     */
    public SendFlow association()
    {
        return association;
    }

    /**
     * @return {@link #RF_OPEN}, {@link #RF_REJECTED}, {@link #RF_COMPLETE_LINGER} or {@link #RF_CLOSED}.
     */
    public int state()
    {
        return state;
    }

    /**
     * @return the cumulative acknowledgement (CSN).
     */
    public long cumulativeSequenceNumber()
    {
        return csn;
    }

    /**
     * @return bytes held for reassembly or ordering.
     */
    public long bufferedBytes()
    {
        return bufferedBytes;
    }

    /**
     * @return messages delivered.
     */
    public long messagesDelivered()
    {
        return messagesDelivered;
    }

    /**
     * @return bytes delivered.
     */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /**
     * @return fragments received (duplicates excluded).
     */
    public long fragmentsReceived()
    {
        return fragmentsReceived;
    }

    /**
     * @return duplicate fragments received.
     */
    public long duplicates()
    {
        return duplicates;
    }

    /**
     * @return gaps reported (messages the sender abandoned).
     */
    public long gaps()
    {
        return gaps;
    }

    /**
     * @return fragments dropped because they were too far ahead or the block store was full (the sender resends them).
     */
    public long droppedNoRoom()
    {
        return droppedNoRoom;
    }

    /**
     * Receive latency of each message in microseconds: from the arrival of its first fragment to its delivery (the
     * time it waited for reassembly or for a retransmission ahead of it). Sample it from any thread with
     * {@link Recorder#getIntervalHistogram(Histogram)}.
     *
     * @return the recorder, or null when measurement is off.
     */
    public Recorder latencyRecorder()
    {
        return latencyRecorder;
    }

    /**
     * @param attachment any object the application wants to find again with the flow.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return the application's attachment.
     */
    public Object attachment()
    {
        return attachment;
    }

    String slotDump()
    {
        final StringBuilder b = new StringBuilder("mask=" + slotMask + " slots:");
        for (long sn = base; sn <= highestSeen && sn < base + slotMask + 1; sn++)
        {
            b.append(' ').append(sn).append('=').append(Integer.toHexString(slotFlags[index(sn)] & 0xFF));
        }
        return b.toString();
    }

    @Override
    public String toString()
    {
        return "ReceiveFlow{" + flowId + ", state=" + state + ", csn=" + csn + ", buffered=" + bufferedBytes + '}';
    }
}
