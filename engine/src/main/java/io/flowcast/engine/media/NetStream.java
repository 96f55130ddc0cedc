package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.config.AppConfig;
import org.agrona.DirectBuffer;

/**
 * One NetStream of a {@link NetConnection} (rtmp-1.0.txt §7.2.2): publishes to one {@link MediaStream} or plays one,
 * as the {@link MediaPlayer} the stream fans out to.
 * <p>
 * The commands ({@code publish}, {@code play}, {@code pause}, {@code closeStream}) come from the connection's dispatch
 * with the command's argument reader; they answer with {@code onStatus} and may allocate. Played messages go straight
 * to the connection's {@link MessageChannel} under this stream's {@link PlayerPolicy}, without allocation.
 */
final class NetStream implements MediaPlayer
{
    private final NetConnection connection;
    private final MediaServer server;
    private final MessageChannel channel;
    private final CommandReplies replies;
    private final int id;
    private final PlayerPolicy policy;
    private MediaStream publishing;
    private MediaStream playing;

    NetStream(
        final NetConnection connection,
        final MediaServer server,
        final MessageChannel channel,
        final CommandReplies replies,
        final int id,
        final AppConfig appConfig)
    {
        this.connection = connection;
        this.server = server;
        this.channel = channel;
        this.replies = replies;
        this.id = id;
        this.policy = new PlayerPolicy(appConfig.audioLifetime().toNanos(), appConfig.videoLifetime().toNanos());
    }

    /**
     * @return what this stream's player is sent (pause, receiveAudio, receiveVideo).
     */
    PlayerPolicy policy()
    {
        return policy;
    }

    /**
     * @return the stream this NetStream publishes to, or null.
     */
    MediaStream publishing()
    {
        return publishing;
    }

    /**
     * @return true while this NetStream plays a stream.
     */
    boolean isPlaying()
    {
        return null != playing;
    }

    /**
     * {@code publish}: name [, type].
     *
     * @param reader the command's arguments, before the command object (null).
     */
    void publish(final Amf0Reader reader)
    {
        final String name = streamName(reader);
        if (null == name)
        {
            refuse("NetStream.Publish.BadName", "publish needs a stream name", null);
            return;
        }
        if (null != publishing || null != playing)
        {
            refuse("NetStream.Publish.BadName", "this NetStream is busy", name);
            return;
        }
        if (!connection.permitted(true))
        {
            refuse("NetStream.Publish.Denied", "publishing is not allowed from your address", name);
            connection.event(MediaEvent.REJECT, name, "publish denied");
            return;
        }
        final MediaStream stream = server.startPublishing(connection.app(), name, this);
        if (null == stream)
        {
            refuse("NetStream.Publish.BadName", name + " is already being published", name);
            return;
        }
        publishing = stream;
        channel.streamBegin(id);
        replies.status(id, "status", "NetStream.Publish.Start", name + " is now published.", name);
        connection.event(MediaEvent.PUBLISH, name, null);
    }

    /**
     * {@code play}: name [, start, duration, reset]. A play on a playing NetStream switches streams; a name not live
     * yet is played all the same (the player waits for its publisher).
     *
     * @param reader the command's arguments, before the command object (null).
     */
    void play(final Amf0Reader reader)
    {
        final String name = streamName(reader);
        if (null == name)
        {
            refuse("NetStream.Play.StreamNotFound", "play needs a stream name", null);
            return;
        }
        if (null != publishing)
        {
            refuse("NetStream.Play.Failed", "this NetStream publishes", name);
            return;
        }
        if (!connection.permitted(false))
        {
            refuse("NetStream.Play.Failed", "playing is not allowed from your address", name);
            connection.event(MediaEvent.REJECT, name, "play denied");
            return;
        }
        if (null != playing)
        {
            stopPlaying(true);
        }
        channel.streamBegin(id);
        replies.status(id, "status", "NetStream.Play.Reset", "Playing and resetting " + name + ".", name);
        replies.status(id, "status", "NetStream.Play.Start", "Started playing " + name + ".", name);
        final MediaStream stream = server.startPlaying(connection.app(), name, this);
        if (null == stream)
        {
            refuse("NetStream.Play.Failed", "too many streams or players", name);
            return;
        }
        playing = stream;
        connection.event(MediaEvent.PLAY, name, null);
    }

    /**
     * {@code pause}: pause flag [, time]; ignored unless playing.
     *
     * @param reader the command's arguments, before the command object (null).
     */
    void pause(final Amf0Reader reader)
    {
        reader.next(); // null
        if (Amf0.BOOLEAN != reader.next() || null == playing)
        {
            return;
        }
        final boolean pause = reader.bool();
        policy.pause(pause);
        replies.status(id, "status", pause ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify",
            pause ? "Paused." : "Unpaused.", playing.name());
    }

    /**
     * {@code receiveAudio} or {@code receiveVideo}: flag.
     *
     * @param audio  receiveAudio (else receiveVideo).
     * @param reader the command's arguments, before the command object (null).
     */
    void receive(final boolean audio, final Amf0Reader reader)
    {
        reader.next(); // null
        if (Amf0.BOOLEAN == reader.next())
        {
            if (audio)
            {
                policy.receiveAudio(reader.bool());
            }
            else
            {
                policy.receiveVideo(reader.bool());
            }
        }
    }

    /**
     * Stop publishing and playing ({@code closeStream}, {@code deleteStream}, or the connection's close).
     *
     * @param notify tell the peer (NetStream.Unpublish.Success, Stream EOF): false when the connection is gone.
     */
    void stop(final boolean notify)
    {
        if (null != publishing)
        {
            final MediaStream stream = publishing;
            publishing = null;
            stream.detachPublisher(this);
            if (notify)
            {
                replies.status(id, "status", "NetStream.Unpublish.Success", stream.name() + " is now unpublished.",
                    stream.name());
            }
            connection.event(MediaEvent.UNPUBLISH, stream.name(), null);
        }
        if (null != playing)
        {
            stopPlaying(notify);
        }
    }

    private void stopPlaying(final boolean notify)
    {
        final MediaStream stream = playing;
        playing = null;
        stream.removePlayer(this);
        if (notify)
        {
            channel.streamEof(id);
        }
        connection.event(MediaEvent.STOP, stream.name(), "dropped=" + policy.dropped());
    }

    private void refuse(final String code, final String description, final String name)
    {
        replies.status(id, "error", code, description, name);
        connection.onRejected();
    }

    /**
     * The stream name argument of publish or play, after the null command object, without the query string (tokens
     * and options some clients append); null when there is no name.
     */
    private static String streamName(final Amf0Reader reader)
    {
        reader.next(); // null
        if (Amf0.STRING != reader.next() || reader.stringLength() == 0)
        {
            return null;
        }
        final String name = reader.string();
        final int query = name.indexOf('?');
        return query >= 0 ? name.substring(0, query) : name;
    }

    // ------------------------------------------------------------------------------------------------ player

    @Override
    public void onMessage(
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int kind,
        final long nowNs)
    {
        if (!policy.admit(kind, channel.backlogNs(nowNs)))
        {
            return;
        }
        if (!channel.send(id, messageType, timestamp, buffer, offset, length))
        {
            policy.onRefused(kind);
        }
    }

    @Override
    public void onCatchUp(final boolean begin)
    {
        channel.catchUp(id, begin);
    }

    @Override
    public void onPublishNotify()
    {
        replies.status(id, "status", "NetStream.Play.PublishNotify", playing.name() + " is now published.",
            playing.name());
    }

    @Override
    public void onUnpublishNotify()
    {
        replies.status(id, "status", "NetStream.Play.UnpublishNotify", playing.name() + " is now unpublished.",
            playing.name());
        channel.streamEof(id);
    }
}
