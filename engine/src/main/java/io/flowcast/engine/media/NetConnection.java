package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.amf.Amf3;
import io.flowcast.codec.amf.Amf3Reader;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.rtmp.AggregateReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.config.AppConfig;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's NetConnection and its NetStreams, whatever transport carries them (rtmp-1.0.txt §7.2, RFC 7425 §5):
 * the transport hands it every RTMP message it decodes ({@link #onMessage}) and answers through a
 * {@link MessageChannel}.
 * <p>
 * Commands: {@code connect} (app from the {@code app} member, else the {@code tcUrl} path; optional token
 * arguments, see {@link AuthTokens}), {@code createStream}, {@code deleteStream}, {@code releaseStream},
 * {@code FCPublish}, {@code FCUnpublish}, {@code getStreamLength}, {@code setPeerInfo} on the NetConnection;
 * {@code publish}, {@code play}, {@code closeStream}, {@code pause}, {@code receiveAudio}, {@code receiveVideo} on a
 * NetStream. Unknown commands get {@code _error} (NetConnection.Call.Failed); commands in the wrong state get an
 * error status or, without a transaction ID, are dropped. Malformed AMF is dropped and counted. Nothing here throws
 * on input.
 * <p>
 * Commands are rare and may allocate (names, strings); audio, video and data of a publishing NetStream go to the
 * {@link MediaStream} without allocation.
 */
public final class NetConnection
{
    private static final Logger LOG = Logger.getLogger(NetConnection.class.getName());

    private static final int AWAITING_CONNECT = 0;
    private static final int CONNECTED = 1;
    private static final int CLOSED = 2;

    private static final int OBJECT_ENCODING_AMF3 = 3;
    private static final int REPLY_CAPACITY = 4096;
    private static final String FMS_VERSION = "FMS/3,5,7,7009";

    private final MediaServer server;
    private final MessageChannel channel;
    private final long id;
    private final byte[] nonce;
    private final NetStream[] streams;
    private final Amf0Command command = new Amf0Command();
    private final Amf0Writer writer = new Amf0Writer();
    private final ExpandableArrayBuffer reply = new ExpandableArrayBuffer(REPLY_CAPACITY);
    private final AggregateReader aggregate = new AggregateReader();

    private int state = AWAITING_CONNECT;
    private boolean released;
    private String app;
    private AppConfig appConfig;
    private double objectEncoding;
    /** What the connect command object being read said (agent thread only). */
    private String connectApp;
    private String connectTcUrl;
    private int replyType = MessageType.COMMAND_AMF0;

    private long malformedCommands;
    private long rejectedCommands;
    private long droppedMessages;

    NetConnection(
        final MediaServer server, final MessageChannel channel, final long id, final byte[] nonce, final int maxStreams)
    {
        this.server = server;
        this.channel = channel;
        this.id = id;
        this.nonce = null == nonce ? null : nonce.clone();
        this.streams = new NetStream[maxStreams];
    }

    /**
     * @return this connection's number (event log).
     */
    public long id()
    {
        return id;
    }

    /**
     * @return the app, once connected.
     */
    public String app()
    {
        return app;
    }

    /**
     * @return true between a successful connect and close.
     */
    public boolean isConnected()
    {
        return CONNECTED == state;
    }

    /**
     * @return commands that were not valid AMF (dropped).
     */
    public long malformedCommands()
    {
        return malformedCommands;
    }

    /**
     * @return commands refused (unknown, wrong state, denied).
     */
    public long rejectedCommands()
    {
        return rejectedCommands;
    }

    /**
     * @return media or data messages dropped because their stream does not publish, or of a type not handled.
     */
    public long droppedMessages()
    {
        return droppedMessages;
    }

    /**
     * @param streamId a message stream ID.
     * @return the player policy of the NetStream playing on it, or null.
     */
    public PlayerPolicy playerPolicy(final int streamId)
    {
        final NetStream stream = netStream(streamId);
        return null == stream || null == stream.playing ? null : stream.policy;
    }

    /**
     * One RTMP message from the peer (protocol control and user control messages are the transport's business).
     *
     * @param streamId    message stream ID.
     * @param messageType RTMP message type.
     * @param timestamp   ms.
     * @param buffer      holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     */
    public void onMessage(
        final int streamId,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (CLOSED == state)
        {
            return;
        }
        switch (messageType)
        {
            case MessageType.AUDIO:
            case MessageType.VIDEO:
            case MessageType.DATA_AMF0:
            case MessageType.DATA_AMF3:
                onMedia(streamId, messageType, timestamp, buffer, offset, length);
                break;

            case MessageType.AGGREGATE:
                onAggregate(streamId, timestamp, buffer, offset, length);
                break;

            case MessageType.COMMAND_AMF0:
                onCommand(streamId, MessageType.COMMAND_AMF0, buffer, offset, length);
                break;

            case MessageType.COMMAND_AMF3:
                if (length < 1)
                {
                    malformedCommands++;
                    return;
                }
                // format selector byte, then AMF0 values (which may switch to AMF3 per value)
                onCommand(streamId, MessageType.COMMAND_AMF3, buffer, offset + 1, length - 1);
                break;

            default:
                droppedMessages++;
                break;
        }
    }

    private void onMedia(
        final int streamId,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final NetStream stream = netStream(streamId);
        if (null == stream || null == stream.publishing)
        {
            droppedMessages++;
            return;
        }
        stream.publishing.publish(messageType, timestamp, buffer, offset, length);
    }

    private void onAggregate(
        final int streamId, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        aggregate.wrap(buffer, offset, length, timestamp);
        int type;
        while ((type = aggregate.next()) >= 0)
        {
            if (MessageType.AUDIO == type || MessageType.VIDEO == type || MessageType.DATA_AMF0 == type)
            {
                onMedia(streamId, type, aggregate.timestamp(), buffer, aggregate.payloadOffset(),
                    aggregate.payloadLength());
            }
        }
        if (AggregateReader.ERROR_TRUNCATED == type)
        {
            droppedMessages++;
        }
    }

    // ------------------------------------------------------------------------------------------------ commands

    private void onCommand(
        final int streamId, final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (command.wrap(buffer, offset, length) < 0)
        {
            malformedCommands++;
            return;
        }
        replyType = type;
        final double txn = command.transactionId();
        try
        {
            if (AWAITING_CONNECT == state)
            {
                if (command.nameEquals("connect"))
                {
                    onConnect(txn);
                }
                else
                {
                    refuse(streamId, txn);
                }
                return;
            }
            if (0 == streamId)
            {
                onConnectionCommand(txn);
            }
            else
            {
                onStreamCommand(streamId, txn);
            }
        }
        catch (final RuntimeException ex)
        {
            // a bug, not the peer's fault: keep the server up, refuse the command
            server.failed("command failed on connection " + id, ex);
            refuse(streamId, txn);
        }
    }

    private void onConnectionCommand(final double txn)
    {
        if (command.nameEquals("createStream"))
        {
            final int streamId = allocateStream();
            if (streamId < 0)
            {
                refuse(0, txn);
                return;
            }
            beginReply(0, "_result", txn).nul().number(streamId);
            sendReply(0);
        }
        else if (command.nameEquals("deleteStream"))
        {
            final Amf0Reader reader = command.reader();
            reader.next(); // null
            if (Amf0.NUMBER == reader.next())
            {
                deleteStream((int)reader.number());
            }
        }
        else if (command.nameEquals("releaseStream") || command.nameEquals("FCPublish") ||
            command.nameEquals("FCUnpublish") || command.nameEquals("FCSubscribe"))
        {
            acknowledge(0, txn);
        }
        else if (command.nameEquals("getStreamLength"))
        {
            if (0 != txn)
            {
                beginReply(0, "_result", txn).nul().number(0);
                sendReply(0);
            }
        }
        else if (command.nameEquals("setPeerInfo") || command.nameEquals("_result") ||
            command.nameEquals("_error") || command.nameEquals("onStatus") || command.nameEquals("onBWDone"))
        {
            // RFC 7425 §5.4: the peer's addresses, for introductions we do not make; replies to nothing we asked
            return;
        }
        else if (command.nameEquals("connect"))
        {
            refuse(0, txn);
        }
        else
        {
            refuse(0, txn);
        }
    }

    private void onStreamCommand(final int streamId, final double txn)
    {
        final NetStream stream = netStream(streamId);
        if (null == stream)
        {
            // a command on a stream never created: some clients send deleteStream/closeStream there
            if (command.nameEquals("deleteStream") || command.nameEquals("closeStream"))
            {
                return;
            }
            refuse(streamId, txn);
            return;
        }
        if (command.nameEquals("publish"))
        {
            stream.publish(txn);
        }
        else if (command.nameEquals("play"))
        {
            stream.play(txn);
        }
        else if (command.nameEquals("closeStream"))
        {
            stream.stop(true);
        }
        else if (command.nameEquals("deleteStream"))
        {
            deleteStream(streamId);
        }
        else if (command.nameEquals("pause"))
        {
            stream.pause();
        }
        else if (command.nameEquals("receiveAudio") || command.nameEquals("receiveVideo"))
        {
            final Amf0Reader reader = command.reader();
            reader.next(); // null
            if (Amf0.BOOLEAN == reader.next())
            {
                if (command.nameEquals("receiveAudio"))
                {
                    stream.policy.receiveAudio(reader.bool());
                }
                else
                {
                    stream.policy.receiveVideo(reader.bool());
                }
            }
        }
        else if (command.nameEquals("FCPublish") || command.nameEquals("FCUnpublish") ||
            command.nameEquals("releaseStream") || command.nameEquals("getStreamLength"))
        {
            acknowledge(streamId, txn);
        }
        else
        {
            refuse(streamId, txn);
        }
    }

    /** The connect object's app, tcUrl (and objectEncoding, kept in its field), read from AMF0. */
    private boolean readConnectObject(final Amf0Reader reader)
    {
        int marker;
        while ((marker = reader.next()) != Amf0.OBJECT_END)
        {
            if (marker < Amf0.END || Amf0.END == marker)
            {
                return false;
            }
            if (Amf0.STRING == marker && reader.keyEquals("app"))
            {
                connectApp = reader.string();
            }
            else if (Amf0.STRING == marker && reader.keyEquals("tcUrl"))
            {
                connectTcUrl = reader.string();
            }
            else if (Amf0.NUMBER == marker && reader.keyEquals("objectEncoding"))
            {
                objectEncoding = reader.number();
            }
            else if (reader.skipContainer() < Amf0.END)
            {
                return false;
            }
        }
        return true;
    }

    /** The same from an AMF3 object (a reference or null carries nothing); nested containers are skipped. */
    private boolean readConnectObject(final Amf3Reader amf3)
    {
        int m = amf3.next();
        if (Amf3.OBJECT != m || amf3.isReference())
        {
            return Amf3.NULL == m || Amf3.UNDEFINED == m || (Amf3.OBJECT == m && amf3.isReference());
        }
        while ((m = amf3.next()) != Amf3.OBJECT_END)
        {
            if (m < 0)
            {
                return false;
            }
            if (Amf3.STRING == m && amf3.keyEquals("app"))
            {
                connectApp = amf3.string();
            }
            else if (Amf3.STRING == m && amf3.keyEquals("tcUrl"))
            {
                connectTcUrl = amf3.string();
            }
            else if ((Amf3.DOUBLE == m || Amf3.INTEGER == m) && amf3.keyEquals("objectEncoding"))
            {
                objectEncoding = Amf3.DOUBLE == m ? amf3.number() : amf3.integer();
            }
            else if (!amf3.isReference() && (Amf3.OBJECT == m || Amf3.ARRAY == m || Amf3.DICTIONARY == m ||
                (m >= Amf3.VECTOR_INT && m <= Amf3.VECTOR_OBJECT)))
            {
                // a container just entered: read to its end
                final int depth = amf3.depth();
                while (amf3.depth() >= depth)
                {
                    if (amf3.next() < 0)
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void onConnect(final double txn)
    {
        connectApp = null;
        connectTcUrl = null;
        final Amf0Reader reader = command.reader();
        final int marker = reader.next();
        final boolean readable;
        if (Amf0.OBJECT == marker || Amf0.ECMA_ARRAY == marker)
        {
            readable = readConnectObject(reader);
        }
        else if (Amf0.AVMPLUS_OBJECT == marker)
        {
            // RFC 7425 §5.1, amf0.txt §3.1: the command object in AMF3 (clients with objectEncoding 3 may send it)
            readable = readConnectObject(reader.amf3()) && reader.resumeAt(reader.amf3().position()) >= 0;
        }
        else
        {
            readable = true; // no command object (null): the app may still come from nowhere and be refused below
        }
        if (!readable)
        {
            malformedCommands++;
            reject(txn, "malformed connect command object");
            return;
        }
        final String appMember = connectApp;
        final String tcUrl = connectTcUrl;
        String first = null;
        String second = null;
        if (Amf0.STRING == reader.next())
        {
            first = reader.string();
            if (Amf0.STRING == reader.next())
            {
                second = reader.string();
            }
        }

        final String name = appName(appMember, tcUrl);
        if (null == name)
        {
            reject(txn, "no app: give the app member or a tcUrl with a path");
            return;
        }
        app = name;
        appConfig = server.appConfig(name);
        final String user = null == second ? null : first;
        final String token = null == second ? first : second;
        String plainToken = null;
        if (!appConfig.authKeys().isEmpty())
        {
            plainToken = AuthTokens.matchingToken(appConfig.authKeys(), name, user, token, nonce);
            if (null == plainToken)
            {
                reject(txn, null == token ? "authentication token required" : "authentication token refused");
                return;
            }
        }

        state = CONNECTED;
        beginReply(0, "_result", txn)
            .objectBegin()
            .key("fmsVer").string(FMS_VERSION)
            .key("capabilities").number(31)
            .key("mode").number(1)
            .objectEnd()
            .objectBegin()
            .key("level").string("status")
            .key("code").string("NetConnection.Connect.Success")
            .key("description").string("Connection succeeded.")
            .key("objectEncoding").number(OBJECT_ENCODING_AMF3 == objectEncoding ? OBJECT_ENCODING_AMF3 : 0)
            .key("connectionID").string(Long.toString(id))
            .key("serverInfo").string("Flowcast");
        final String fingerprint = channel.serverFingerprint();
        if (null != fingerprint)
        {
            writer.key("serverFingerprint").string(fingerprint);
        }
        final byte[] peerNonce = channel.peerNonce();
        if (null != plainToken && null != peerNonce)
        {
            // tcserver.md: the token hashed with the client's nonce proves we know it, without sending it
            writer.key("authToken").string(AuthTokens.hashWithNonce(peerNonce, plainToken));
        }
        writer.objectEnd();
        sendReply(0);
        server.event(MediaEvent.CONNECT, channel.protocol(), id, channel.peerAddress(), app, null, user);
    }

    /**
     * @param appMember the connect object's app member, or null.
     * @param tcUrl     its tcUrl, or null.
     * @return the app name without query string and surrounding slashes, or null when there is none.
     */
    static String appName(final String appMember, final String tcUrl)
    {
        String name = appMember;
        if ((null == name || name.isEmpty()) && null != tcUrl)
        {
            final int scheme = tcUrl.indexOf("://");
            final int pathStart = tcUrl.indexOf('/', scheme < 0 ? 0 : scheme + 3);
            name = pathStart < 0 ? null : tcUrl.substring(pathStart + 1);
        }
        if (null == name)
        {
            return null;
        }
        final int query = name.indexOf('?');
        if (query >= 0)
        {
            name = name.substring(0, query);
        }
        int start = 0;
        int end = name.length();
        while (start < end && '/' == name.charAt(start))
        {
            start++;
        }
        while (end > start && '/' == name.charAt(end - 1))
        {
            end--;
        }
        name = name.substring(start, end);
        return name.isEmpty() ? null : name;
    }

    private void reject(final double txn, final String description)
    {
        beginReply(0, "_error", txn)
            .nul()
            .objectBegin()
            .key("level").string("error")
            .key("code").string("NetConnection.Connect.Rejected")
            .key("description").string(description)
            .objectEnd();
        sendReply(0);
        server.event(MediaEvent.REJECT, channel.protocol(), id, channel.peerAddress(), app, null, description);
        state = CLOSED;
        channel.close();
    }

    private void refuse(final int streamId, final double txn)
    {
        rejectedCommands++;
        if (0 == txn)
        {
            return;
        }
        beginReply(streamId, "_error", txn)
            .nul()
            .objectBegin()
            .key("level").string("error")
            .key("code").string("NetConnection.Call.Failed")
            .key("description").string(CONNECTED == state ?
                "command not accepted: " + command.name() : "connect first")
            .objectEnd();
        sendReply(streamId);
    }

    private void acknowledge(final int streamId, final double txn)
    {
        if (0 != txn)
        {
            beginReply(streamId, "_result", txn).nul().undefined();
            sendReply(streamId);
        }
    }

    private Amf0Writer beginReply(final int streamId, final String name, final double txn)
    {
        int start = 0;
        if (MessageType.COMMAND_AMF3 == replyType)
        {
            reply.putByte(0, (byte)0);
            start = 1;
        }
        return writer.wrap(reply, start, REPLY_CAPACITY - start).string(name).number(txn);
    }

    private void onStatus(final int streamId, final String level, final String code, final String description,
        final String details)
    {
        final Amf0Writer w = beginReply(streamId, "onStatus", 0)
            .nul()
            .objectBegin()
            .key("level").string(level)
            .key("code").string(code)
            .key("description").string(description);
        if (null != details)
        {
            w.key("details").string(details);
        }
        w.key("clientid").string(Long.toString(id)).objectEnd();
        sendReply(streamId);
    }

    private void sendReply(final int streamId)
    {
        if (writer.overflowed())
        {
            LOG.warning("reply too long for connection " + id + ": not sent");
            return;
        }
        if (!channel.send(streamId, replyType, 0, reply, 0, writer.position()))
        {
            // the output is full even for a command: the peer is not reading; let the transport's stall timer act
            droppedMessages++;
        }
    }

    // ------------------------------------------------------------------------------------------------ streams

    private int allocateStream()
    {
        for (int i = 0; i < streams.length; i++)
        {
            if (null == streams[i])
            {
                streams[i] = new NetStream(i + 1);
                return i + 1;
            }
        }
        return -1;
    }

    private NetStream netStream(final int streamId)
    {
        return streamId >= 1 && streamId <= streams.length ? streams[streamId - 1] : null;
    }

    private void deleteStream(final int streamId)
    {
        final NetStream stream = netStream(streamId);
        if (null != stream)
        {
            stream.stop(true);
            streams[streamId - 1] = null;
        }
    }

    /**
     * The transport closed (or is closing): end every publication and play, report the close. Idempotent.
     */
    public void close()
    {
        if (released)
        {
            return;
        }
        released = true;
        state = CLOSED;
        for (int i = 0; i < streams.length; i++)
        {
            if (null != streams[i])
            {
                streams[i].stop(false);
                streams[i] = null;
            }
        }
        server.onConnectionClosed();
        if (null != app)
        {
            server.event(MediaEvent.CLOSE, channel.protocol(), id, channel.peerAddress(), app, null, null);
        }
    }

    private static String streamName(final String name)
    {
        final int query = name.indexOf('?');
        return query >= 0 ? name.substring(0, query) : name;
    }

    private boolean permitted(final boolean publish)
    {
        final InetSocketAddress peer = channel.peerAddress();
        final InetAddress address = null == peer ? null : peer.getAddress();
        if (null == address)
        {
            return true; // in-process
        }
        return (publish ? appConfig.publish() : appConfig.play()).permits(address);
    }

    /**
     * A NetStream: publishes to one stream or plays one.
     */
    private final class NetStream implements MediaPlayer
    {
        private final int id;
        private final PlayerPolicy policy;
        private MediaStream publishing;
        private MediaStream playing;

        NetStream(final int id)
        {
            this.id = id;
            this.policy = new PlayerPolicy(appConfig.audioLifetime().toNanos(), appConfig.videoLifetime().toNanos());
        }

        void publish(final double txn)
        {
            final Amf0Reader reader = command.reader();
            reader.next(); // null
            if (Amf0.STRING != reader.next() || reader.stringLength() == 0)
            {
                onStatus(id, "error", "NetStream.Publish.BadName", "publish needs a stream name", null);
                rejectedCommands++;
                return;
            }
            final String name = streamName(reader.string());
            if (null != publishing || null != playing)
            {
                onStatus(id, "error", "NetStream.Publish.BadName", "this NetStream is busy", name);
                rejectedCommands++;
                return;
            }
            if (!permitted(true))
            {
                onStatus(id, "error", "NetStream.Publish.Denied", "publishing is not allowed from your address", name);
                server.event(MediaEvent.REJECT, channel.protocol(), NetConnection.this.id, channel.peerAddress(), app,
                    name, "publish denied");
                rejectedCommands++;
                return;
            }
            final MediaStream stream = server.startPublishing(app, name, this);
            if (null == stream)
            {
                onStatus(id, "error", "NetStream.Publish.BadName", name + " is already being published", name);
                rejectedCommands++;
                return;
            }
            publishing = stream;
            channel.streamBegin(id);
            onStatus(id, "status", "NetStream.Publish.Start", name + " is now published.", name);
            server.event(MediaEvent.PUBLISH, channel.protocol(), NetConnection.this.id, channel.peerAddress(), app,
                name, null);
        }

        void play(final double txn)
        {
            final Amf0Reader reader = command.reader();
            reader.next(); // null
            if (Amf0.STRING != reader.next() || reader.stringLength() == 0)
            {
                onStatus(id, "error", "NetStream.Play.StreamNotFound", "play needs a stream name", null);
                rejectedCommands++;
                return;
            }
            final String name = streamName(reader.string());
            if (null != publishing)
            {
                onStatus(id, "error", "NetStream.Play.Failed", "this NetStream publishes", name);
                rejectedCommands++;
                return;
            }
            if (!permitted(false))
            {
                onStatus(id, "error", "NetStream.Play.Failed", "playing is not allowed from your address", name);
                server.event(MediaEvent.REJECT, channel.protocol(), NetConnection.this.id, channel.peerAddress(), app,
                    name, "play denied");
                rejectedCommands++;
                return;
            }
            if (null != playing)
            {
                stopPlaying(true); // play on a playing NetStream switches streams
            }
            channel.streamBegin(id);
            onStatus(id, "status", "NetStream.Play.Reset", "Playing and resetting " + name + ".", name);
            onStatus(id, "status", "NetStream.Play.Start", "Started playing " + name + ".", name);
            final MediaStream stream = server.startPlaying(app, name, this);
            if (null == stream)
            {
                onStatus(id, "error", "NetStream.Play.Failed", "too many streams or players", name);
                rejectedCommands++;
                return;
            }
            playing = stream;
            server.event(MediaEvent.PLAY, channel.protocol(), NetConnection.this.id, channel.peerAddress(), app,
                name, null);
        }

        void pause()
        {
            final Amf0Reader reader = command.reader();
            reader.next(); // null
            if (Amf0.BOOLEAN != reader.next() || null == playing)
            {
                return;
            }
            final boolean pause = reader.bool();
            policy.pause(pause);
            onStatus(id, "status", pause ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify",
                pause ? "Paused." : "Unpaused.", playing.name());
        }

        void stop(final boolean notify)
        {
            if (null != publishing)
            {
                final MediaStream stream = publishing;
                publishing = null;
                stream.detachPublisher(this);
                if (notify)
                {
                    onStatus(id, "status", "NetStream.Unpublish.Success", stream.name() + " is now unpublished.",
                        stream.name());
                }
                server.event(MediaEvent.UNPUBLISH, channel.protocol(), NetConnection.this.id, channel.peerAddress(),
                    app, stream.name(), null);
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
            server.event(MediaEvent.STOP, channel.protocol(), NetConnection.this.id, channel.peerAddress(), app,
                stream.name(), "dropped=" + policy.dropped());
        }

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
            onStatus(id, "status", "NetStream.Play.PublishNotify", playing.name() + " is now published.",
                playing.name());
        }

        @Override
        public void onUnpublishNotify()
        {
            onStatus(id, "status", "NetStream.Play.UnpublishNotify", playing.name() + " is now unpublished.",
                playing.name());
            channel.streamEof(id);
        }
    }
}
