package io.flowcast.engine.media;

import org.agrona.DirectBuffer;

import java.net.InetSocketAddress;

/**
 * What a {@link NetConnection} needs from the transport that carries it: RTMP chunk streams over TCP, or RFC 7425
 * flows over an RTMFP session. Messages are RTMP messages (type, timestamp, message stream ID, payload) on both.
 * Called on the media agent thread only.
 */
public interface MessageChannel
{
    /**
     * Queue one message for the peer. The payload is copied before returning (into the transport's own bounded
     * output), so a publisher's buffer can be handed to every player without a copy of its own.
     *
     * @param streamId    message stream ID (0: the NetConnection).
     * @param messageType RTMP message type ({@link io.flowcast.codec.rtmp.MessageType}).
     * @param timestamp   milliseconds, 32 bits.
     * @param buffer      holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     * @return false when the output has no room: nothing was queued.
     */
    boolean send(int streamId, int messageType, int timestamp, DirectBuffer buffer, int offset, int length);

    /**
     * @param nowNs the media server's clock now.
     * @return how long the oldest unsent output has been waiting, 0 when everything was sent: the measure of a
     * player falling behind.
     */
    long backlogNs(long nowNs);

    /**
     * The late-join cache of a stream starts or ends ({@link MediaPlayer#onCatchUp}). A transport that carries one
     * stream on several independent paths (RFC 7425: a flow each for data, audio and video) must keep the messages in
     * between in order and ahead of what follows; RTMP's single TCP stream already does.
     *
     * @param streamId the message stream.
     * @param begin    true before the first cached message, false after the last.
     */
    default void catchUp(final int streamId, final boolean begin)
    {
    }

    /**
     * A message stream starts carrying media to the peer (RTMP User Control Stream Begin; RFC 7425: nothing or the
     * flow's opening).
     *
     * @param streamId the message stream.
     */
    void streamBegin(int streamId);

    /**
     * A message stream stops carrying media (RTMP User Control Stream EOF).
     *
     * @param streamId the message stream.
     */
    void streamEof(int streamId);

    /**
     * Close the connection once what was queued has been sent (after a rejection); the transport then calls
     * {@link NetConnection#close()}.
     */
    void close();

    /**
     * @return the peer's address, for allow/deny rules and the event log.
     */
    InetSocketAddress peerAddress();

    /**
     * @return the protocol name for the event log: "rtmp" or "rtmfp".
     */
    String protocol();

    /**
     * @return the client's session nonce (RFC 7425 §4.6.5), with which the connect reply proves the server knows the
     * token ({@code authToken}, as tcserver does), or null (RTMP).
     */
    default byte[] peerNonce()
    {
        return null;
    }

    /**
     * @return the server's fingerprint in hex for the connect reply's {@code serverFingerprint} (RTMFP), or null.
     */
    default String serverFingerprint()
    {
        return null;
    }
}
