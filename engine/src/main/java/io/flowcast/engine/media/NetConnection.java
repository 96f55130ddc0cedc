package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.rtmp.AggregateReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.config.AppConfig;
import org.agrona.DirectBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's NetConnection and its {@link NetStream}s, whatever transport carries them (rtmp-1.0.txt §7.2, RFC 7425
 * §5): the transport hands it every RTMP message it decodes ({@link #onMessage}) and answers through a
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

    private final MediaServer server;
    private final MessageChannel channel;
    private final long id;
    private final byte[] nonce;
    private final NetStream[] streams;
    private final Amf0Command command = new Amf0Command();
    private final ConnectObject connectObject = new ConnectObject();
    private final CommandReplies replies;
    private final AggregateReader aggregate = new AggregateReader();

    private int state = AWAITING_CONNECT;
    private boolean released;
    private String app;
    private AppConfig appConfig;

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
        this.replies = new CommandReplies(channel, id);
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
     * @return media or data messages dropped because their stream does not publish, or of a type not handled; and
     * replies the channel refused.
     */
    public long droppedMessages()
    {
        return droppedMessages + replies.dropped();
    }

    /**
     * @param streamId a message stream ID.
     * @return the player policy of the NetStream playing on it, or null.
     */
    public PlayerPolicy playerPolicy(final int streamId)
    {
        final NetStream stream = netStream(streamId);
        return null == stream || !stream.isPlaying() ? null : stream.policy();
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
        final MediaStream publishing = null == stream ? null : stream.publishing();
        if (null == publishing)
        {
            droppedMessages++;
            return;
        }
        publishing.publish(messageType, timestamp, buffer, offset, length);
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
        replies.type(type);
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
            replies.begin("_result", txn).nul().number(streamId);
            replies.send(0);
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
            replies.acknowledge(0, txn);
        }
        else if (command.nameEquals("getStreamLength"))
        {
            if (0 != txn)
            {
                replies.begin("_result", txn).nul().number(0);
                replies.send(0);
            }
        }
        else if (command.nameEquals("setPeerInfo") || command.nameEquals("_result") ||
            command.nameEquals("_error") || command.nameEquals("onStatus") || command.nameEquals("onBWDone"))
        {
            // RFC 7425 §5.4: the peer's addresses, for introductions we do not make; replies to nothing we asked
            return;
        }
        else
        {
            refuse(0, txn); // a second connect too
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
            stream.publish(command.reader());
        }
        else if (command.nameEquals("play"))
        {
            stream.play(command.reader());
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
            stream.pause(command.reader());
        }
        else if (command.nameEquals("receiveAudio"))
        {
            stream.receive(true, command.reader());
        }
        else if (command.nameEquals("receiveVideo"))
        {
            stream.receive(false, command.reader());
        }
        else if (command.nameEquals("FCPublish") || command.nameEquals("FCUnpublish") ||
            command.nameEquals("releaseStream") || command.nameEquals("getStreamLength"))
        {
            replies.acknowledge(streamId, txn);
        }
        else
        {
            refuse(streamId, txn);
        }
    }

    private void onConnect(final double txn)
    {
        connectObject.reset();
        final Amf0Reader reader = command.reader();
        final int marker = reader.next();
        final boolean readable;
        if (Amf0.OBJECT == marker || Amf0.ECMA_ARRAY == marker)
        {
            readable = connectObject.read(reader);
        }
        else if (Amf0.AVMPLUS_OBJECT == marker)
        {
            // RFC 7425 §5.1, amf0.txt §3.1: the command object in AMF3 (clients with objectEncoding 3 may send it)
            readable = connectObject.read(reader.amf3()) && reader.resumeAt(reader.amf3().position()) >= 0;
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

        final String name = connectObject.appName();
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
        // tcserver.md: the token hashed with the client's nonce proves we know it, without sending it
        final byte[] peerNonce = channel.peerNonce();
        final String authToken =
            null != plainToken && null != peerNonce ? AuthTokens.hashWithNonce(peerNonce, plainToken) : null;
        replies.connected(txn, OBJECT_ENCODING_AMF3 == connectObject.objectEncoding() ? OBJECT_ENCODING_AMF3 : 0,
            channel.serverFingerprint(), authToken);
        event(MediaEvent.CONNECT, null, user);
    }

    private void reject(final double txn, final String description)
    {
        replies.error(0, txn, "NetConnection.Connect.Rejected", description);
        event(MediaEvent.REJECT, null, description);
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
        replies.error(streamId, txn, "NetConnection.Call.Failed",
            CONNECTED == state ? "command not accepted: " + command.name() : "connect first");
    }

    // ------------------------------------------------------------------------------------------------ streams

    private int allocateStream()
    {
        for (int i = 0; i < streams.length; i++)
        {
            if (null == streams[i])
            {
                streams[i] = new NetStream(this, server, channel, replies, i + 1, appConfig);
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
            event(MediaEvent.CLOSE, null, null);
        }
    }

    // ------------------------------------------------------------------------------------------------ for NetStream

    /**
     * @param publish publish (else play).
     * @return whether the app's allow/deny lists let the peer's address do it.
     */
    boolean permitted(final boolean publish)
    {
        final InetSocketAddress peer = channel.peerAddress();
        final InetAddress address = null == peer ? null : peer.getAddress();
        if (null == address)
        {
            return true; // in-process
        }
        return (publish ? appConfig.publish() : appConfig.play()).permits(address);
    }

    /** A NetStream refused a command. */
    void onRejected()
    {
        rejectedCommands++;
    }

    /** Report an event of this connection (its app) to the server's listener. */
    void event(final MediaEvent event, final String stream, final String detail)
    {
        server.event(event, channel.protocol(), id, channel.peerAddress(), app, stream, detail);
    }
}
