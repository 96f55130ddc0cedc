package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/**
 * One named stream of an app: at most one publisher, any number of players (bounded), and the late-join cache.
 * <p>
 * Fan-out: each published message is classified once ({@link MessageKind}), recorded in the cache, shown to every
 * {@link StreamTap}, then handed to every {@link MediaPlayer} from the publisher's own buffer; players copy into
 * their own bounded output. Nothing is allocated per message once the cache buffers have grown.
 * <p>
 * Late-join cache, sent to a new player in this order: the metadata ({@code @setDataFrame}'s onMetaData, kept until
 * {@code @clearDataFrame}), the video and audio decoder configurations, then the current GOP from its keyframe
 * (audio and video interleaved as published). The GOP is bounded ({@code maxGopBytes}): a GOP that outgrows it is
 * forgotten, and joiners then wait for the next keyframe rather than get a GOP with a hole in it.
 * <p>
 * Owned by the media agent thread.
 */
public final class MediaStream
{
    private static final String SET_DATA_FRAME = "@setDataFrame";
    private static final String CLEAR_DATA_FRAME = "@clearDataFrame";
    private static final String ON_META_DATA = "onMetaData";

    // GOP cache entry: | type u8 | kind u8 | timestamp i32 | length i32 | payload |
    private static final int ENTRY_TYPE_OFFSET = 0;
    private static final int ENTRY_KIND_OFFSET = 1;
    private static final int ENTRY_TIMESTAMP_OFFSET = 2;
    private static final int ENTRY_LENGTH_OFFSET = 6;
    private static final int ENTRY_HEADER_LENGTH = 10;

    private final MediaServer server;
    private final String app;
    private final String name;
    private final int maxPlayers;
    private final int maxGopBytes;
    private final MessageKind classifier = new MessageKind();
    private final Amf0Reader amf = new Amf0Reader();

    private MediaPlayer[] players = new MediaPlayer[4];
    private int playerCount;

    private Object publisher;
    private int handle;
    private final Publication internalPublication = new InternalPublication();

    private final CachedMessage metadata = new CachedMessage();
    private final CachedMessage videoConfig = new CachedMessage();
    private final CachedMessage audioConfig = new CachedMessage();
    private final ExpandableArrayBuffer gop = new ExpandableArrayBuffer(64 * 1024);
    private int gopLength;
    private boolean gopValid;

    private long messages;
    private long gopOverflows;

    MediaStream(final MediaServer server, final String app, final String name, final int maxPlayers, final int maxGopBytes)
    {
        this.server = server;
        this.app = app;
        this.name = name;
        this.maxPlayers = maxPlayers;
        this.maxGopBytes = maxGopBytes;
    }

    /**
     * @return the app.
     */
    public String app()
    {
        return app;
    }

    /**
     * @return the stream name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return true while someone publishes.
     */
    public boolean isLive()
    {
        return null != publisher;
    }

    /**
     * @return the publication's handle as {@link StreamTap}s see it; 0 when not live.
     */
    public int handle()
    {
        return handle;
    }

    /**
     * @return players attached.
     */
    public int playerCount()
    {
        return playerCount;
    }

    /**
     * @return messages published since the stream was created.
     */
    public long messages()
    {
        return messages;
    }

    /**
     * @return GOPs forgotten because they outgrew the cache bound.
     */
    public long gopOverflows()
    {
        return gopOverflows;
    }

    /**
     * @return bytes of the current cached GOP (0 when none).
     */
    public int gopBytes()
    {
        return gopLength;
    }

    boolean attachPublisher(final Object owner, final int newHandle)
    {
        if (null != publisher)
        {
            return false;
        }
        publisher = owner;
        handle = newHandle;
        for (final StreamTap tap : server.taps())
        {
            server.callTap(tap, t -> t.onPublish(newHandle, app, name));
        }
        for (int i = 0; i < playerCount; i++)
        {
            players[i].onPublishNotify();
        }
        return true;
    }

    void detachPublisher(final Object owner)
    {
        if (null == publisher || owner != publisher)
        {
            return;
        }
        final int oldHandle = handle;
        publisher = null;
        handle = 0;
        metadata.clear();
        videoConfig.clear();
        audioConfig.clear();
        gopLength = 0;
        gopValid = false;
        for (final StreamTap tap : server.taps())
        {
            server.callTap(tap, t -> t.onUnpublish(oldHandle));
        }
        for (int i = 0; i < playerCount; i++)
        {
            players[i].onUnpublishNotify();
        }
        server.onStreamMaybeIdle(this);
    }

    Publication internalPublication()
    {
        return internalPublication;
    }

    /**
     * Add a player; when the stream is live it gets the late-join cache at once.
     *
     * @param player the player.
     * @return false when the stream has its maximum of players.
     */
    boolean addPlayer(final MediaPlayer player)
    {
        if (playerCount >= maxPlayers)
        {
            return false;
        }
        if (playerCount == players.length)
        {
            players = java.util.Arrays.copyOf(players, Math.min(maxPlayers, players.length * 2));
        }
        players[playerCount++] = player;
        if (null != publisher)
        {
            sendCache(player);
        }
        return true;
    }

    void removePlayer(final MediaPlayer player)
    {
        for (int i = 0; i < playerCount; i++)
        {
            if (players[i] == player)
            {
                System.arraycopy(players, i + 1, players, i, playerCount - i - 1);
                players[--playerCount] = null;
                server.onStreamMaybeIdle(this);
                return;
            }
        }
    }

    boolean isIdle()
    {
        return null == publisher && 0 == playerCount;
    }

    private void sendCache(final MediaPlayer player)
    {
        final long nowNs = server.clock().nanoTime();
        player.onCatchUp(true);
        metadata.sendTo(player, MessageKind.METADATA, nowNs);
        videoConfig.sendTo(player, MessageKind.VIDEO_CONFIG, nowNs);
        audioConfig.sendTo(player, MessageKind.AUDIO_CONFIG, nowNs);
        if (gopValid)
        {
            int position = 0;
            while (position < gopLength)
            {
                final int type = gop.getByte(position + ENTRY_TYPE_OFFSET) & 0xFF;
                final int kind = gop.getByte(position + ENTRY_KIND_OFFSET);
                final int timestamp = gop.getInt(position + ENTRY_TIMESTAMP_OFFSET, ByteOrder.LITTLE_ENDIAN);
                final int length = gop.getInt(position + ENTRY_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
                player.onMessage(type, timestamp, gop, position + ENTRY_HEADER_LENGTH, length, kind, nowNs);
                position += ENTRY_HEADER_LENGTH + length;
            }
        }
        player.onCatchUp(false);
    }

    /**
     * Publish one message: cache, taps, players. Allocation-free.
     *
     * @param messageType audio (8), video (9), data (18, 15).
     * @param timestamp   ms.
     * @param buffer      holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     */
    void publish(final int messageType, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        messages++;
        final StreamTap[] taps = server.taps();
        for (final StreamTap tap : taps)
        {
            server.onTapMessage(tap, handle, messageType, timestamp, buffer, offset, length);
        }

        int type = messageType;
        int payloadOffset = offset;
        int payloadLength = length;
        final int kind;
        if (MessageType.DATA_AMF0 == messageType || MessageType.DATA_AMF3 == messageType)
        {
            int valuesOffset = offset;
            if (MessageType.DATA_AMF3 == messageType && length > 0 && 0 == buffer.getByte(offset))
            {
                valuesOffset++; // AMF3 format selector: AMF0 values follow
            }
            amf.wrap(buffer, valuesOffset, offset + length - valuesOffset);
            if (Amf0.STRING == amf.next())
            {
                if (amf.stringEquals(CLEAR_DATA_FRAME))
                {
                    metadata.clear();
                    return;
                }
                if (amf.stringEquals(SET_DATA_FRAME))
                {
                    // players and joiners get what follows @setDataFrame: "onMetaData", {...}
                    type = MessageType.DATA_AMF0;
                    payloadOffset = amf.position();
                    payloadLength = offset + length - payloadOffset;
                    kind = MessageKind.METADATA;
                }
                else if (amf.stringEquals(ON_META_DATA))
                {
                    type = MessageType.DATA_AMF0;
                    payloadOffset = valuesOffset;
                    payloadLength = offset + length - valuesOffset;
                    kind = MessageKind.METADATA;
                }
                else
                {
                    kind = MessageKind.DATA;
                }
            }
            else
            {
                kind = MessageKind.DATA;
            }
        }
        else
        {
            kind = classifier.classify(messageType, buffer, offset, length);
        }

        remember(kind, type, timestamp, buffer, payloadOffset, payloadLength);

        final long nowNs = server.clock().nanoTime();
        final MediaPlayer[] players = this.players;
        for (int i = 0; i < playerCount; i++)
        {
            players[i].onMessage(type, timestamp, buffer, payloadOffset, payloadLength, kind, nowNs);
        }
    }

    private void remember(
        final int kind, final int type, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        switch (kind)
        {
            case MessageKind.METADATA:
                metadata.set(type, timestamp, buffer, offset, length);
                break;

            case MessageKind.VIDEO_CONFIG:
                videoConfig.set(type, timestamp, buffer, offset, length);
                break;

            case MessageKind.AUDIO_CONFIG:
                audioConfig.set(type, timestamp, buffer, offset, length);
                break;

            case MessageKind.KEYFRAME:
                gopLength = 0;
                gopValid = true;
                appendToGop(kind, type, timestamp, buffer, offset, length);
                break;

            case MessageKind.INTER_FRAME:
            case MessageKind.AUDIO:
                if (gopValid)
                {
                    appendToGop(kind, type, timestamp, buffer, offset, length);
                }
                break;

            default:
                break;
        }
    }

    private void appendToGop(
        final int kind, final int type, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        final long newLength = (long)gopLength + ENTRY_HEADER_LENGTH + length;
        if (newLength > maxGopBytes)
        {
            gopValid = false;
            gopLength = 0;
            gopOverflows++;
            return;
        }
        final int p = gopLength;
        gop.putByte(p + ENTRY_TYPE_OFFSET, (byte)type);
        gop.putByte(p + ENTRY_KIND_OFFSET, (byte)kind);
        gop.putInt(p + ENTRY_TIMESTAMP_OFFSET, timestamp, ByteOrder.LITTLE_ENDIAN);
        gop.putInt(p + ENTRY_LENGTH_OFFSET, length, ByteOrder.LITTLE_ENDIAN);
        gop.putBytes(p + ENTRY_HEADER_LENGTH, buffer, offset, length);
        gopLength = (int)newLength;
    }

    /**
     * One cached message (metadata or a decoder configuration), its buffer grown once and reused.
     */
    private static final class CachedMessage
    {
        private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        private int type;
        private int timestamp;
        private int length = -1;

        void set(final int type, final int timestamp, final DirectBuffer src, final int offset, final int length)
        {
            buffer.putBytes(0, src, offset, length);
            this.type = type;
            this.timestamp = timestamp;
            this.length = length;
        }

        void clear()
        {
            length = -1;
        }

        void sendTo(final MediaPlayer player, final int kind, final long nowNs)
        {
            if (length >= 0)
            {
                player.onMessage(type, timestamp, buffer, 0, length, kind, nowNs);
            }
        }
    }

    private final class InternalPublication implements Publication
    {
        @Override
        public int streamHandle()
        {
            return handle;
        }

        @Override
        public void onMessage(
            final int messageType, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
        {
            if (publisher == this)
            {
                publish(messageType, timestamp, buffer, offset, length);
            }
        }

        @Override
        public boolean hasPlayers()
        {
            return playerCount > 0;
        }

        @Override
        public void close()
        {
            if (publisher == this)
            {
                server.event(MediaEvent.UNPUBLISH, "internal", null, app, name);
                detachPublisher(this);
            }
        }
    }
}
