package io.flowcast.engine.media;

import org.agrona.DirectBuffer;

/**
 * A player of a {@link MediaStream}: the stream hands it every published message, already classified, in publish
 * order. The buffer is the publisher's (or the late-join cache's) and is valid during the call only: a player copies
 * what it keeps into its own bounded output, and decides with a {@link PlayerPolicy} what to drop.
 */
public interface MediaPlayer
{
    /**
     * One message of the stream.
     *
     * @param messageType RTMP message type: audio, video, data.
     * @param timestamp   media timestamp, ms.
     * @param buffer      holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     * @param kind        its {@link MessageKind}.
     * @param nowNs       the media server's clock of the publication of this message.
     */
    void onMessage(int messageType, int timestamp, DirectBuffer buffer, int offset, int length, int kind, long nowNs);

    /**
     * The late-join cache starts ({@code true}) or has ended ({@code false}): the messages in between are metadata,
     * codec configuration and the current GOP from its keyframe, and must reach the player in that order and before
     * any live message.
     *
     * @param begin true before the first cached message, false after the last.
     */
    default void onCatchUp(final boolean begin)
    {
    }

    /**
     * A publisher started on the stream (players that were waiting get NetStream.Play.PublishNotify).
     */
    void onPublishNotify();

    /**
     * The publisher stopped (NetStream.Play.UnpublishNotify).
     */
    void onUnpublishNotify();
}
