package io.flowcast.engine.record;

import io.flowcast.engine.media.InternalPublisher;
import io.flowcast.engine.media.Publication;
import io.flowcast.engine.media.StreamTap;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test stand-in for the media server's side of the seams: an {@link InternalPublisher} whose publications record
 * every call (a copy of the payload and the {@link System#nanoTime()} of the call) and, like the real server, pass
 * each publication through the stream taps. One thread.
 */
final class FakeMediaServer implements InternalPublisher
{
    record Message(int type, int timestamp, byte[] payload, long nanoTime)
    {
    }

    final class FakePublication implements Publication
    {
        final String app;
        final String stream;
        final int handle;
        final List<Message> messages = new ArrayList<>();
        boolean players = true;
        boolean closed;

        FakePublication(final String app, final String stream, final int handle)
        {
            this.app = app;
            this.stream = stream;
            this.handle = handle;
        }

        @Override
        public int streamHandle()
        {
            return handle;
        }

        @Override
        public void onMessage(
            final int messageType, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
        {
            final long now = System.nanoTime();
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(new Message(messageType, timestamp, copy, now));
            for (final StreamTap tap : taps)
            {
                tap.onMessage(handle, messageType, timestamp, buffer, offset, length);
            }
        }

        @Override
        public boolean hasPlayers()
        {
            return players;
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                published.remove(app + '/' + stream);
                for (final StreamTap tap : taps)
                {
                    tap.onUnpublish(handle);
                }
            }
        }
    }

    final List<StreamTap> taps = new ArrayList<>();
    final Map<String, FakePublication> published = new HashMap<>();
    final List<FakePublication> all = new ArrayList<>();
    private int nextHandle;

    FakeMediaServer(final StreamTap... taps)
    {
        this.taps.addAll(List.of(taps));
    }

    @Override
    public FakePublication publish(final String app, final String stream)
    {
        if (published.containsKey(app + '/' + stream))
        {
            return null;
        }
        final FakePublication publication = new FakePublication(app, stream, nextHandle++);
        published.put(app + '/' + stream, publication);
        all.add(publication);
        for (final StreamTap tap : taps)
        {
            tap.onPublish(publication.handle, app, stream);
        }
        return publication;
    }
}
