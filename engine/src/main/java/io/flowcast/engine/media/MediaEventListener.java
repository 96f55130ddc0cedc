package io.flowcast.engine.media;

import java.net.InetSocketAddress;

/**
 * Observes connections and streams of the media server (for the server's JSON event log). Called on the media agent
 * thread on rare events; may allocate, must not block.
 */
@FunctionalInterface
public interface MediaEventListener
{
    /**
     * @param event        what happened.
     * @param protocol     "rtmp", "rtmfp" or "internal".
     * @param connectionId the NetConnection's number (0 for in-process publishers).
     * @param peer         the peer's address, or null for in-process publishers.
     * @param app          the app, or null before connect.
     * @param stream       the stream name, or null for connection events.
     * @param detail       a reason or status code, or null.
     */
    void onEvent(
        MediaEvent event,
        String protocol,
        long connectionId,
        InetSocketAddress peer,
        String app,
        String stream,
        String detail);
}
