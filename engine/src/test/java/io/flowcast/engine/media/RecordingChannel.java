package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MessageChannel} for tests: records what a NetConnection sends, with an output bound and a settable backlog.
 */
final class RecordingChannel implements MessageChannel
{
    record Sent(int streamId, int type, int timestamp, byte[] payload)
    {
        String commandName()
        {
            final Amf0Reader reader = reader();
            return Amf0.STRING == reader.next() ? reader.string() : null;
        }

        /**
         * @return the "code" member of the info object of an onStatus/_result/_error, or null.
         */
        String code()
        {
            final Amf0Reader reader = reader();
            int marker;
            while ((marker = reader.next()) != Amf0.END && marker >= Amf0.END)
            {
                if (Amf0.STRING == marker && reader.keyLength() >= 0 && reader.keyEquals("code"))
                {
                    return reader.string();
                }
            }
            return null;
        }

        private Amf0Reader reader()
        {
            final int skip = MessageType.COMMAND_AMF3 == type ? 1 : 0;
            return new Amf0Reader().wrap(new UnsafeBuffer(payload), skip, payload.length - skip);
        }

        boolean isCommand()
        {
            return MessageType.COMMAND_AMF0 == type || MessageType.COMMAND_AMF3 == type;
        }
    }

    final List<Sent> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final InetSocketAddress peer;
    int capacityBytes = Integer.MAX_VALUE;
    int queuedBytes;
    long backlogNs;
    boolean closed;
    boolean record = true;
    long sentCount;

    RecordingChannel(final InetSocketAddress peer)
    {
        this.peer = peer;
    }

    @Override
    public boolean send(
        final int streamId, final int messageType, final int timestamp, final DirectBuffer buffer, final int offset,
        final int length)
    {
        if (queuedBytes + length > capacityBytes)
        {
            return false;
        }
        sentCount++;
        if (record)
        {
            queuedBytes += length;
            final byte[] payload = new byte[length];
            buffer.getBytes(offset, payload);
            sent.add(new Sent(streamId, messageType, timestamp, payload));
        }
        return true;
    }

    @Override
    public long backlogNs(final long nowNs)
    {
        return backlogNs;
    }

    @Override
    public void streamBegin(final int streamId)
    {
        events.add("begin " + streamId);
    }

    @Override
    public void streamEof(final int streamId)
    {
        events.add("eof " + streamId);
    }

    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public InetSocketAddress peerAddress()
    {
        return peer;
    }

    @Override
    public String protocol()
    {
        return "test";
    }

    List<String> codes()
    {
        final List<String> codes = new ArrayList<>();
        for (final Sent s : sent)
        {
            if (s.isCommand())
            {
                final String code = s.code();
                codes.add(null == code ? s.commandName() : code);
            }
        }
        return codes;
    }

    List<Sent> media()
    {
        final List<Sent> media = new ArrayList<>();
        for (final Sent s : sent)
        {
            if (!s.isCommand())
            {
                media.add(s);
            }
        }
        return media;
    }

    void drain()
    {
        sent.clear();
        queuedBytes = 0;
    }
}
