package io.flowcast.engine.endpoint;

import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.ControlledMessageHandler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Flows for application threads other than the agent's, Aeron style: messages are offered from any thread into a
 * bounded many-to-one ring that the agent drains into the flows, and received messages are written by the agent into
 * a bounded one-to-one ring that one application thread polls. Both directions copy once into the ring and allocate
 * nothing. Back-pressure is end to end: a full send ring refuses the offer, a flow that cannot take more keeps the
 * ring's head waiting, and a receive ring running out of room pauses the receiving flows (their windows close) until
 * the application has polled.
 *
 * <p>Install it as the endpoint's (or a session's) {@link FlowListener} and as {@link EndpointContext#clientBridge}.
 */
public final class ClientBridge implements FlowListener
{
    /** Received record: a message. */
    public static final int MESSAGE = 1;
    /** Received record: a flow opened (payload: its metadata). */
    public static final int FLOW_OPENED = 2;
    /** Received record: a flow is complete. */
    public static final int FLOW_CLOSED = 3;
    private static final int OFFER = 10;

    private static final int SESSION_OFFSET = 0;
    private static final int FLOW_OFFSET = 4;
    private static final int RECEIVED_HEADER = 12;

    private static final int HANDLE_OFFSET = 0;
    private static final int PRIORITY_OFFSET = 4;
    private static final int TIME_CRITICAL_OFFSET = 8;
    private static final int LIFETIME_OFFSET = 12;
    private static final int OFFER_HEADER = 20;

    /** The application's side of received records. */
    public interface Handler
    {
        /**
         * @param sessionId the session's local ID ({@link Session#localSessionId()}).
         * @param flowId    the receiving flow's ID.
         * @param buffer    holds the message (valid during the call).
         * @param offset    where it starts.
         * @param length    its length.
         */
        void onMessage(int sessionId, long flowId, DirectBuffer buffer, int offset, int length);

        /**
         * A receiving flow opened.
         *
         * @param sessionId the session's local ID.
         * @param flowId    the flow.
         * @param metadata  holds its metadata.
         * @param offset    where the metadata starts.
         * @param length    its length.
         */
        default void onFlowOpened(
            final int sessionId, final long flowId, final DirectBuffer metadata, final int offset, final int length)
        {
        }

        /**
         * A receiving flow is complete.
         *
         * @param sessionId the session's local ID.
         * @param flowId    the flow.
         */
        default void onFlowClosed(final int sessionId, final long flowId)
        {
        }
    }

    private final ManyToOneRingBuffer toAgent;
    private final OneToOneRingBuffer toApplication;
    private final int resumeBelowBytes;
    private final int pauseAboveBytes;
    private final SendFlow[] flowsByHandle;
    private final List<ReceiveFlow> paused = new ArrayList<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[RECEIVED_HEADER]);
    private final ControlledMessageHandler drainOffer = this::onOfferRecord;
    private int nextHandle;
    private long receivedDropped;
    private long offersHeld;
    private Handler pollHandler;
    private final MessageHandler dispatch = this::dispatch;

    /**
     * @param sendRingBytes    capacity of the offer ring (a power of two).
     * @param receiveRingBytes capacity of the receive ring (a power of two); receiving flows pause when less than a
     *                         quarter of it is free, so messages up to a quarter of it always fit.
     * @param maxSendFlows     most send flows registered with {@link #openFlow}.
     */
    public ClientBridge(final int sendRingBytes, final int receiveRingBytes, final int maxSendFlows)
    {
        toAgent = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(sendRingBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        toApplication = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(receiveRingBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        pauseAboveBytes = receiveRingBytes - receiveRingBytes / 4;
        resumeBelowBytes = receiveRingBytes / 2;
        flowsByHandle = new SendFlow[maxSendFlows];
    }

    // ------------------------------------------------------------------------------------ application threads

    /**
     * Open a sending flow on the agent thread and register it for {@link #offer}. May be called from any thread;
     * completes on the agent thread.
     *
     * @param endpoint the session's endpoint.
     * @param session  an open session.
     * @param metadata the flow's metadata.
     * @return the handle to pass to {@link #offer}, or completes exceptionally.
     */
    public CompletableFuture<Integer> openFlow(final RtmfpEndpoint endpoint, final Session session, final byte[] metadata)
    {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        endpoint.execute(() ->
        {
            if (nextHandle == flowsByHandle.length)
            {
                result.completeExceptionally(new IllegalStateException("too many bridged flows"));
                return;
            }
            final SendFlow flow = session.openFlow(metadata);
            if (null == flow)
            {
                result.completeExceptionally(new IllegalStateException("session not open or out of flows"));
                return;
            }
            final int handle = nextHandle++;
            flowsByHandle[handle] = flow;
            result.complete(handle);
        });
        return result;
    }

    /**
     * Offer a message from any thread (many producers). The bytes are copied into the ring.
     *
     * @param handle       from {@link #openFlow}.
     * @param buffer       holds the message.
     * @param offset       where it starts.
     * @param length       its length (at most the ring's maximum message length).
     * @param priority     {@link SendFlow#PRIORITY_NORMAL} etc.
     * @param lifetimeNs   0 for none.
     * @param timeCritical time-critical marking.
     * @return true when queued; false when the ring is full (back-pressured: try again).
     */
    public boolean offer(
        final int handle,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int priority,
        final long lifetimeNs,
        final boolean timeCritical)
    {
        final int index = toAgent.tryClaim(OFFER, OFFER_HEADER + length);
        if (index <= 0)
        {
            return false;
        }
        final org.agrona.concurrent.AtomicBuffer ring = toAgent.buffer();
        ring.putInt(index + HANDLE_OFFSET, handle);
        ring.putInt(index + PRIORITY_OFFSET, priority);
        ring.putInt(index + TIME_CRITICAL_OFFSET, timeCritical ? 1 : 0);
        ring.putLong(index + LIFETIME_OFFSET, lifetimeNs);
        ring.putBytes(index + OFFER_HEADER, buffer, offset, length);
        toAgent.commit(index);
        return true;
    }

    /**
     * Poll received records, from one application thread.
     *
     * @param handler gets them.
     * @param limit   most records.
     * @return records read.
     */
    public int poll(final Handler handler, final int limit)
    {
        pollHandler = handler;
        return toApplication.read(dispatch, limit);
    }

    private void dispatch(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final int sessionId = buffer.getInt(index + SESSION_OFFSET);
        final long flowId = buffer.getLong(index + FLOW_OFFSET);
        switch (type)
        {
            case MESSAGE:
                pollHandler.onMessage(sessionId, flowId, buffer, index + RECEIVED_HEADER, length - RECEIVED_HEADER);
                break;
            case FLOW_OPENED:
                pollHandler.onFlowOpened(sessionId, flowId, buffer, index + RECEIVED_HEADER, length - RECEIVED_HEADER);
                break;
            case FLOW_CLOSED:
                pollHandler.onFlowClosed(sessionId, flowId);
                break;
            default:
                break;
        }
    }

    /**
     * @return received messages dropped because one was larger than a quarter of the receive ring.
     */
    public long receivedDropped()
    {
        return receivedDropped;
    }

    // ------------------------------------------------------------------------------------------- agent thread

    /**
     * The agent's duty: drain offers into their flows (stopping at one its flow cannot take yet), and resume paused
     * receiving flows once the application has made room.
     *
     * @return work done.
     */
    int agentWork()
    {
        int work = toAgent.controlledRead(drainOffer, 64);
        if (!paused.isEmpty() && toApplication.size() < resumeBelowBytes)
        {
            for (int i = paused.size() - 1; i >= 0; i--)
            {
                paused.remove(i).resume();
                work++;
            }
        }
        return work;
    }

    private ControlledMessageHandler.Action onOfferRecord(
        final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final int handle = buffer.getInt(index + HANDLE_OFFSET);
        final SendFlow flow = handle >= 0 && handle < nextHandle ? flowsByHandle[handle] : null;
        if (null == flow)
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final long rc = flow.offer(buffer, index + OFFER_HEADER, length - OFFER_HEADER,
            buffer.getInt(index + PRIORITY_OFFSET), buffer.getLong(index + LIFETIME_OFFSET),
            0 != buffer.getInt(index + TIME_CRITICAL_OFFSET));
        if (OfferStatus.BACK_PRESSURED == rc)
        {
            offersHeld++;
            return ControlledMessageHandler.Action.ABORT; // keep it at the head: retry next duty cycle
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    @Override
    public void onFlowOpened(final ReceiveFlow flow)
    {
        write(FLOW_OPENED, flow, new UnsafeBuffer(flow.metadata()), 0, flow.metadata().length);
    }

    @Override
    public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!write(MESSAGE, flow, buffer, offset, length))
        {
            receivedDropped++;
        }
        if (toApplication.size() > pauseAboveBytes && !flow.isPaused())
        {
            flow.pause(); // hold further messages (the window closes) until the application polls
            paused.add(flow);
        }
    }

    @Override
    public void onFlowClosed(final ReceiveFlow flow)
    {
        write(FLOW_CLOSED, flow, scratch, 0, 0);
    }

    private boolean write(
        final int type, final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = toApplication.tryClaim(type, RECEIVED_HEADER + length);
        if (index <= 0)
        {
            return false;
        }
        final org.agrona.concurrent.AtomicBuffer ring = toApplication.buffer();
        ring.putInt(index + SESSION_OFFSET, flow.session().localSessionId());
        ring.putLong(index + FLOW_OFFSET, flow.flowId());
        ring.putBytes(index + RECEIVED_HEADER, buffer, offset, length);
        toApplication.commit(index);
        return true;
    }
}
