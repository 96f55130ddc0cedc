package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.ExpandableArrayBuffer;

import java.util.logging.Logger;

/**
 * The command messages a {@link NetConnection} and its {@link NetStream}s send back: {@code _result}, {@code _error}
 * and {@code onStatus} (rtmp-1.0.txt §7.2), written with one {@link Amf0Writer} into one reply buffer and sent on the
 * connection's {@link MessageChannel}.
 * <p>
 * Replies use the type of the command being answered ({@link #type}): 20, or 17 with its format byte 0 in front.
 * Commands are rare, so the strings given here may be built per call.
 */
final class CommandReplies
{
    private static final Logger LOG = Logger.getLogger(CommandReplies.class.getName());
    private static final int CAPACITY = 4096;
    private static final String FMS_VERSION = "FMS/3,5,7,7009";

    private final MessageChannel channel;
    private final long connectionId;
    private final Amf0Writer writer = new Amf0Writer();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(CAPACITY);
    private int type = MessageType.COMMAND_AMF0;
    private long dropped;

    CommandReplies(final MessageChannel channel, final long connectionId)
    {
        this.channel = channel;
        this.connectionId = connectionId;
    }

    /**
     * @param type {@link MessageType#COMMAND_AMF0} or {@link MessageType#COMMAND_AMF3}: that of the command answered.
     */
    void type(final int type)
    {
        this.type = type;
    }

    /**
     * @return replies the channel refused (its output was full).
     */
    long dropped()
    {
        return dropped;
    }

    /**
     * Start a command message; write its arguments into the writer returned, then {@link #send}.
     *
     * @param name the command name.
     * @param txn  its transaction ID.
     * @return the writer, after the name and transaction ID.
     */
    Amf0Writer begin(final String name, final double txn)
    {
        int start = 0;
        if (MessageType.COMMAND_AMF3 == type)
        {
            buffer.putByte(0, (byte)0);
            start = 1;
        }
        return writer.wrap(buffer, start, CAPACITY - start).string(name).number(txn);
    }

    /**
     * Send what was written since {@link #begin}.
     *
     * @param streamId message stream ID.
     */
    void send(final int streamId)
    {
        if (writer.overflowed())
        {
            LOG.warning("reply too long for connection " + connectionId + ": not sent");
            return;
        }
        if (!channel.send(streamId, type, 0, buffer, 0, writer.position()))
        {
            // the output is full even for a command: the peer is not reading; let the transport's stall timer act
            dropped++;
        }
    }

    /**
     * The {@code _result} of a successful {@code connect} (rtmp-1.0.txt §7.2.1.1): the server's properties, then
     * NetConnection.Connect.Success with the object encoding, the connection ID and, when given, the server's
     * fingerprint (RFC 7425) and the auth token hashed with the client's nonce.
     *
     * @param txn               transaction ID.
     * @param objectEncoding    0 or 3.
     * @param serverFingerprint or null.
     * @param authToken         or null.
     */
    void connected(
        final double txn, final int objectEncoding, final String serverFingerprint, final String authToken)
    {
        begin("_result", txn)
            .objectBegin()
            .key("fmsVer").string(FMS_VERSION)
            .key("capabilities").number(31)
            .key("mode").number(1)
            .objectEnd()
            .objectBegin()
            .key("level").string("status")
            .key("code").string("NetConnection.Connect.Success")
            .key("description").string("Connection succeeded.")
            .key("objectEncoding").number(objectEncoding)
            .key("connectionID").string(Long.toString(connectionId))
            .key("serverInfo").string("Flowcast");
        if (null != serverFingerprint)
        {
            writer.key("serverFingerprint").string(serverFingerprint);
        }
        if (null != authToken)
        {
            writer.key("authToken").string(authToken);
        }
        writer.objectEnd();
        send(0);
    }

    /**
     * {@code _result} with no value (null, undefined), when the command asked for an answer.
     *
     * @param streamId message stream ID.
     * @param txn      transaction ID; 0 sends nothing.
     */
    void acknowledge(final int streamId, final double txn)
    {
        if (0 != txn)
        {
            begin("_result", txn).nul().undefined();
            send(streamId);
        }
    }

    /**
     * {@code _error} with an error-level information object.
     *
     * @param streamId    message stream ID.
     * @param txn         transaction ID.
     * @param code        e.g. NetConnection.Call.Failed.
     * @param description for people.
     */
    void error(final int streamId, final double txn, final String code, final String description)
    {
        begin("_error", txn)
            .nul()
            .objectBegin()
            .key("level").string("error")
            .key("code").string(code)
            .key("description").string(description)
            .objectEnd();
        send(streamId);
    }

    /**
     * {@code onStatus} (transaction 0) with level, code, description, optional details and the client ID.
     *
     * @param streamId    message stream ID.
     * @param level       status or error.
     * @param code        e.g. NetStream.Play.Start.
     * @param description for people.
     * @param details     the stream name, or null.
     */
    void status(
        final int streamId, final String level, final String code, final String description, final String details)
    {
        final Amf0Writer w = begin("onStatus", 0)
            .nul()
            .objectBegin()
            .key("level").string(level)
            .key("code").string(code)
            .key("description").string(description);
        if (null != details)
        {
            w.key("details").string(details);
        }
        w.key("clientid").string(Long.toString(connectionId)).objectEnd();
        send(streamId);
    }
}
