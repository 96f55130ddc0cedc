package io.flowcast.engine.endpoint;

import io.flowcast.engine.transport.DatagramHandler;
import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.net.InetSocketAddress;

/**
 * DEDICATED threading: the sockets are read by a {@link Receiver} agent and written by a {@link Sender} agent, each on
 * its own thread, joined to the session agent by bounded lock-free single-producer/single-consumer rings of
 * preallocated datagram slots (a ring of filled slots one way, a ring of free slots back). The session agent sees
 * this class as its {@link DatagramTransport}. Nothing is allocated per datagram; a full ring drops the datagram and
 * counts it (UDP semantics).
 */
final class DedicatedTransport implements DatagramTransport
{
    static final class Slot
    {
        final UnsafeBuffer buffer;
        int length;
        int channel;
        InetSocketAddress address;

        Slot(final int capacity)
        {
            buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity, 64));
        }
    }

    private final DatagramTransport sockets;
    private final OneToOneConcurrentArrayQueue<Slot> received;
    private final OneToOneConcurrentArrayQueue<Slot> freeReceive;
    private final OneToOneConcurrentArrayQueue<Slot> toSend;
    private final OneToOneConcurrentArrayQueue<Slot> freeSend;
    private final int slotCapacity;
    private final Receiver receiver = new Receiver();
    private final Sender sender = new Sender();
    private AtomicCounter receiveRingFull;
    private AtomicCounter sendRingFull;

    private final org.agrona.concurrent.NanoClock clock;

    DedicatedTransport(
        final DatagramTransport sockets, final int slots, final int slotCapacity,
        final org.agrona.concurrent.NanoClock clock)
    {
        this.sockets = sockets;
        this.clock = clock;
        this.slotCapacity = slotCapacity;
        received = new OneToOneConcurrentArrayQueue<>(slots);
        freeReceive = new OneToOneConcurrentArrayQueue<>(slots);
        toSend = new OneToOneConcurrentArrayQueue<>(slots);
        freeSend = new OneToOneConcurrentArrayQueue<>(slots);
        for (int i = 0; i < slots; i++)
        {
            freeReceive.offer(new Slot(slotCapacity));
            freeSend.offer(new Slot(slotCapacity));
        }
    }

    void counters(final AtomicCounter receiveRingFull, final AtomicCounter sendRingFull)
    {
        this.receiveRingFull = receiveRingFull;
        this.sendRingFull = sendRingFull;
    }

    Receiver receiver()
    {
        return receiver;
    }

    Sender sender()
    {
        return sender;
    }

    @Override
    public int poll(final DatagramHandler handler, final int limit)
    {
        int count = 0;
        Slot slot;
        while (count < limit && null != (slot = received.poll()))
        {
            count++;
            handler.onDatagram(slot.buffer, 0, slot.length, slot.address, slot.channel);
            slot.address = null;
            freeReceive.offer(slot);
        }
        return count;
    }

    @Override
    public int send(
        final int channel, final DirectBuffer buffer, final int offset, final int length,
        final InetSocketAddress destination)
    {
        if (length > slotCapacity)
        {
            return DROPPED_ERROR;
        }
        final Slot slot = freeSend.poll();
        if (null == slot)
        {
            if (null != sendRingFull)
            {
                sendRingFull.incrementRelease();
            }
            return DROPPED_BUFFER_FULL;
        }
        slot.buffer.putBytes(0, buffer, offset, length);
        slot.length = length;
        slot.channel = channel;
        slot.address = destination;
        toSend.offer(slot);
        return SENT;
    }

    @Override
    public int channelCount()
    {
        return sockets.channelCount();
    }

    @Override
    public InetSocketAddress localAddress(final int channel)
    {
        return sockets.localAddress(channel);
    }

    @Override
    public void close()
    {
        sockets.close();
    }

    /**
     * Reads the sockets into free slots and hands them to the session agent.
     */
    final class Receiver implements Agent, DatagramHandler
    {
        @Override
        public int doWork()
        {
            return sockets.poll(this, 64) + sockets.doWork(clock.nanoTime());
        }

        @Override
        public void onDatagram(
            final org.agrona.MutableDirectBuffer buffer, final int offset, final int length,
            final InetSocketAddress source, final int channel)
        {
            final Slot slot = freeReceive.poll();
            if (null == slot || length > slotCapacity)
            {
                if (null != receiveRingFull)
                {
                    receiveRingFull.incrementRelease();
                }
                if (null != slot)
                {
                    freeReceive.offer(slot);
                }
                return;
            }
            slot.buffer.putBytes(0, buffer, offset, length);
            slot.length = length;
            slot.channel = channel;
            slot.address = source;
            received.offer(slot);
        }

        @Override
        public String roleName()
        {
            return "flowcast-rtmfp-receiver";
        }
    }

    /**
     * Writes the session agent's datagrams to the sockets.
     */
    final class Sender implements Agent
    {
        @Override
        public int doWork()
        {
            int count = 0;
            Slot slot;
            while (count < 64 && null != (slot = toSend.poll()))
            {
                count++;
                sockets.send(slot.channel, slot.buffer, 0, slot.length, slot.address);
                slot.address = null;
                freeSend.offer(slot);
            }
            return count;
        }

        @Override
        public void onClose()
        {
            while (doWork() > 0)
            {
                // flush what the session agent queued while closing (its Close Requests and Acks)
            }
        }

        @Override
        public String roleName()
        {
            return "flowcast-rtmfp-sender";
        }
    }
}
