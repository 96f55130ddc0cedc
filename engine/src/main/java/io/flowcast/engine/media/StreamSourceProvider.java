package io.flowcast.engine.media;

/**
 * Supplies streams that nobody publishes live, such as replays of recorded streams: the media server asks its
 * providers when a player asks for a name that is not live. Called on the media agent thread; must not block.
 */
public interface StreamSourceProvider
{
    /**
     * A player asked for {@code app}/{@code stream} and it is not live.
     *
     * @param app       the application.
     * @param stream    the requested name, as the player gave it (e.g. {@code NAME@<epoch-ms>}).
     * @param publisher where to start the publication, before returning, so the player joins it.
     * @return true when this provider started a publication of that name.
     */
    boolean onPlayUnknown(String app, String stream, InternalPublisher publisher);

    /**
     * Duty-cycle work (pacing replays), called every media agent duty cycle.
     *
     * @param nowNs the media server's clock of this cycle.
     * @return work done (0 when idle).
     */
    int doWork(long nowNs);

    /**
     * The media server is closing: end every publication and release resources.
     */
    void close();
}
