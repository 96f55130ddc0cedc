package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;

/**
 * Receives complete messages reassembled by a {@link ChunkStreamDecoder}. The buffer region is valid only during
 * the call: copy what must outlive it.
 */
@FunctionalInterface
public interface ChunkMessageHandler
{
    /**
     * @param chunkStreamId   chunk stream the message arrived on.
     * @param typeId          message type ({@link MessageType}).
     * @param timestamp       absolute timestamp in ms, 32 bits (wraps; compare with serial arithmetic).
     * @param messageStreamId message stream ID (0 for control and NetConnection commands).
     * @param buffer          holding the payload.
     * @param offset          of the payload.
     * @param length          of the payload.
     */
    void onMessage(
        int chunkStreamId,
        int typeId,
        int timestamp,
        int messageStreamId,
        DirectBuffer buffer,
        int offset,
        int length);
}
