package io.flowcast.engine.media;

import org.agrona.DirectBuffer;

/**
 * An in-process publisher's handle on a stream of the media server (a journal replay, a generator): messages written
 * here fan out to the stream's players and taps exactly as a network publisher's would. Use it on the media agent
 * thread only.
 */
public interface Publication
{
    /**
     * @return the stream handle, as {@link StreamTap} sees it.
     */
    int streamHandle();

    /**
     * Publish one message.
     *
     * @param messageType RTMP message type: audio (8), video (9), data (18 AMF0 / 15 AMF3).
     * @param timestamp   media timestamp in milliseconds.
     * @param buffer      the payload's buffer (read during the call only).
     * @param offset      where the payload starts.
     * @param length      payload length.
     */
    void onMessage(int messageType, int timestamp, DirectBuffer buffer, int offset, int length);

    /**
     * @return true while at least one player plays the stream.
     */
    boolean hasPlayers();

    /**
     * End the publication (players get the unpublish notification).
     */
    void close();
}
