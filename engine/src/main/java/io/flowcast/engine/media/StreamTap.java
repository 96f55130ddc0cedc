package io.flowcast.engine.media;

import org.agrona.DirectBuffer;

/**
 * Observes every published stream of the media server, whatever protocol carried it (RTMFP or RTMP): the recorder is
 * one. Called on the media agent thread, in publish order; implementations must not block, must not keep the buffer
 * after returning, and must not allocate in {@link #onMessage}.
 */
public interface StreamTap
{
    /**
     * A publisher started on {@code app}/{@code stream}. Rare: may allocate.
     *
     * @param streamHandle a small integer naming this publication in {@link #onMessage}/{@link #onUnpublish}; not
     *                     reused while the publication lasts.
     * @param app          the application name.
     * @param stream       the stream name (without query string).
     */
    void onPublish(int streamHandle, String app, String stream);

    /**
     * One message of a publication, as published: audio (8), video (9), data (18 AMF0 / 15 AMF3), the RTMP message
     * type numbers used on both RTMP and RFC 7425 flows.
     *
     * @param streamHandle the publication.
     * @param messageType  RTMP message type.
     * @param timestamp    media timestamp in milliseconds (32-bit, unsigned).
     * @param buffer       the payload's buffer.
     * @param offset       where the payload starts.
     * @param length       payload length.
     */
    void onMessage(int streamHandle, int messageType, int timestamp, DirectBuffer buffer, int offset, int length);

    /**
     * The publication ended.
     *
     * @param streamHandle the publication.
     */
    void onUnpublish(int streamHandle);
}
