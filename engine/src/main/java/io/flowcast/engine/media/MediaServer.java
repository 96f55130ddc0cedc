package io.flowcast.engine.media;

import io.flowcast.config.AppConfig;
import io.flowcast.config.FlowcastConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol-neutral media server: apps, the stream registry (one publisher per app and stream name, any number of
 * players), stream taps, stream source providers, authentication and allow/deny rules, and the event listener.
 * Transports (RTMP over TCP, RTMFP flows) create a {@link NetConnection} per peer connection with
 * {@link #newConnection} and feed it decoded messages.
 * <p>
 * Single-threaded: everything runs on the agent thread that owns it (as an {@link Agent} of its own, or as a
 * co-located duty of the RTMFP endpoint). Bounded: connections, streams, players per stream, streams per connection
 * and the GOP cache of each stream have limits.
 */
public final class MediaServer implements InternalPublisher, Agent
{
    /** Default bound on NetConnections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default bound on streams (live or with waiting players). */
    public static final int DEFAULT_MAX_STREAMS = 10_000;
    /** Default bound on players of one stream. */
    public static final int DEFAULT_MAX_PLAYERS_PER_STREAM = 10_000;
    /** Default bound on NetStreams of one NetConnection. */
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 16;
    /** Default bound on the cached GOP of a stream. */
    public static final int DEFAULT_MAX_GOP_BYTES = 8 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(MediaServer.class.getName());
    private static final StreamTap[] NO_TAPS = new StreamTap[0];

    private final Function<String, AppConfig> appConfigs;
    private final Map<String, MediaStream> streams = new HashMap<>();
    private final List<StreamSourceProvider> providers = new ArrayList<>();
    private StreamTap[] taps = NO_TAPS;
    private MediaEventListener listener = (event, protocol, id, peer, app, stream, detail) -> {};

    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private int maxPlayersPerStream = DEFAULT_MAX_PLAYERS_PER_STREAM;
    private int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
    private int maxGopBytes = DEFAULT_MAX_GOP_BYTES;

    private int connections;
    private long nextConnectionId;
    private int nextHandle;
    private long connectionsRefused;
    private long tapErrors;
    private long listenerErrors;
    private org.agrona.concurrent.NanoClock clock = org.agrona.concurrent.SystemNanoClock.INSTANCE;
    private org.agrona.ErrorHandler errorHandler;

    /**
     * @param appConfigs the settings of an app, by its name (the first segment of the app path).
     */
    public MediaServer(final Function<String, AppConfig> appConfigs)
    {
        this.appConfigs = Objects.requireNonNull(appConfigs);
    }

    /**
     * @param clock the clock that stamps messages and paces providers; the composition root passes the endpoint's.
     * @return this.
     */
    public MediaServer clock(final org.agrona.concurrent.NanoClock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * @param errorHandler receives what a tap, the event listener or a provider throws (they are caught, so the media
     *                     core carries on); the composition root passes its counted error handler. Default: logged.
     * @return this.
     */
    public MediaServer errorHandler(final org.agrona.ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    void failed(final String what, final RuntimeException ex)
    {
        if (null != errorHandler)
        {
            errorHandler.onError(ex);
        }
        else
        {
            LOG.log(Level.WARNING, what, ex);
        }
    }

    /**
     * @return the clock that stamps messages.
     */
    public org.agrona.concurrent.NanoClock clock()
    {
        return clock;
    }

    /**
     * @param config the server configuration: {@code app-defaults} and {@code apps}.
     * @return a media server for it.
     */
    public static MediaServer forConfig(final FlowcastConfig config)
    {
        return new MediaServer(config::app);
    }

    // ---------------------------------------------------------------------------------------------------- set-up

    /**
     * @param listener receives connect, publish, play, unpublish and close events.
     * @return this.
     */
    public MediaServer listener(final MediaEventListener listener)
    {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * @param tap to see every published message.
     * @return this.
     */
    public MediaServer addTap(final StreamTap tap)
    {
        final StreamTap[] grown = java.util.Arrays.copyOf(taps, taps.length + 1);
        grown[taps.length] = Objects.requireNonNull(tap);
        taps = grown;
        return this;
    }

    /**
     * @param provider asked for streams that are not live.
     * @return this.
     */
    public MediaServer addProvider(final StreamSourceProvider provider)
    {
        providers.add(Objects.requireNonNull(provider));
        return this;
    }

    /**
     * @param maxConnections most NetConnections at once.
     * @return this.
     */
    public MediaServer maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * @param maxStreams most streams at once.
     * @return this.
     */
    public MediaServer maxStreams(final int maxStreams)
    {
        this.maxStreams = maxStreams;
        return this;
    }

    /**
     * @param maxPlayersPerStream most players of one stream.
     * @return this.
     */
    public MediaServer maxPlayersPerStream(final int maxPlayersPerStream)
    {
        this.maxPlayersPerStream = maxPlayersPerStream;
        return this;
    }

    /**
     * @param maxStreamsPerConnection most NetStreams (createStream) of one connection.
     * @return this.
     */
    public MediaServer maxStreamsPerConnection(final int maxStreamsPerConnection)
    {
        this.maxStreamsPerConnection = maxStreamsPerConnection;
        return this;
    }

    /**
     * @param maxGopBytes bound on the cached GOP of a stream.
     * @return this.
     */
    public MediaServer maxGopBytes(final int maxGopBytes)
    {
        this.maxGopBytes = maxGopBytes;
        return this;
    }

    // ---------------------------------------------------------------------------------------------------- API

    /**
     * A transport accepted a connection: make its NetConnection.
     *
     * @param channel the transport's side.
     * @param nonce   the server's session nonce (RTMFP) that a client may hash its token with, or null (RTMP).
     * @return the NetConnection, or null when the server has its maximum of connections (close the transport).
     */
    public NetConnection newConnection(final MessageChannel channel, final byte[] nonce)
    {
        if (connections >= maxConnections)
        {
            connectionsRefused++;
            return null;
        }
        connections++;
        return new NetConnection(this, channel, ++nextConnectionId, nonce, maxStreamsPerConnection);
    }

    void onConnectionClosed()
    {
        connections--;
    }

    /**
     * @param app an app name (may have several path segments: {@code live/12345}).
     * @return its settings: those of its first segment's entry in {@code apps}, else {@code app-defaults}.
     */
    public AppConfig appConfig(final String app)
    {
        final int slash = app.indexOf('/');
        return appConfigs.apply(slash < 0 ? app : app.substring(0, slash));
    }

    @Override
    public Publication publish(final String app, final String stream)
    {
        final MediaStream s = startPublishing(app, stream, null);
        return null == s ? null : s.internalPublication();
    }

    /**
     * Start a publication.
     *
     * @param app    the app.
     * @param stream the stream name.
     * @param owner  the publisher (a NetStream), or null for the stream's internal publication.
     * @return the stream, or null when it is already live or there are too many streams.
     */
    MediaStream startPublishing(final String app, final String stream, final Object owner)
    {
        final MediaStream s = stream(app, stream, true);
        if (null == s)
        {
            return null;
        }
        final Object publisher = null == owner ? s.internalPublication() : owner;
        if (!s.attachPublisher(publisher, ++nextHandle))
        {
            onStreamMaybeIdle(s);
            return null;
        }
        if (null == owner)
        {
            event(MediaEvent.PUBLISH, "internal", 0, null, app, stream, null);
        }
        return s;
    }

    /**
     * Add a player to a stream, asking the providers for it when it is not live.
     *
     * @param app    the app.
     * @param stream the stream name.
     * @param player the player.
     * @return the stream, or null when there are too many streams or players.
     */
    MediaStream startPlaying(final String app, final String stream, final MediaPlayer player)
    {
        MediaStream s = streams.get(key(app, stream));
        if ((null == s || !s.isLive()) && !providers.isEmpty())
        {
            for (final StreamSourceProvider provider : providers)
            {
                try
                {
                    if (provider.onPlayUnknown(app, stream, this))
                    {
                        break;
                    }
                }
                catch (final RuntimeException ex)
                {
                    failed("stream source provider failed for " + app + "/" + stream, ex);
                }
            }
        }
        s = stream(app, stream, true);
        if (null == s)
        {
            return null;
        }
        if (!s.addPlayer(player))
        {
            onStreamMaybeIdle(s);
            return null;
        }
        return s;
    }

    /**
     * @param app    the app.
     * @param stream the stream name.
     * @return the stream, or null when there is none (no publisher and no players).
     */
    public MediaStream stream(final String app, final String stream)
    {
        return streams.get(key(app, stream));
    }

    /**
     * @return streams in the registry.
     */
    public int streamCount()
    {
        return streams.size();
    }

    /**
     * @return NetConnections open.
     */
    public int connectionCount()
    {
        return connections;
    }

    /**
     * @return connections refused because of {@link #maxConnections}.
     */
    public long connectionsRefused()
    {
        return connectionsRefused;
    }

    /**
     * @return exceptions thrown by taps (each is caught, logged once in a while and counted).
     */
    public long tapErrors()
    {
        return tapErrors;
    }

    /**
     * @return exceptions thrown by the event listener (caught, logged, counted).
     */
    public long listenerErrors()
    {
        return listenerErrors;
    }

    private MediaStream stream(final String app, final String stream, final boolean create)
    {
        final String key = key(app, stream);
        MediaStream s = streams.get(key);
        if (null == s && create)
        {
            if (streams.size() >= maxStreams)
            {
                return null;
            }
            s = new MediaStream(this, app, stream, maxPlayersPerStream, maxGopBytes);
            streams.put(key, s);
        }
        return s;
    }

    void onStreamMaybeIdle(final MediaStream stream)
    {
        if (stream.isIdle())
        {
            streams.remove(key(stream.app(), stream.name()), stream);
        }
    }

    private static String key(final String app, final String stream)
    {
        return app + '\u0000' + stream;
    }

    // ---------------------------------------------------------------------------------------------------- taps

    StreamTap[] taps()
    {
        return taps;
    }

    void callTap(final StreamTap tap, final Consumer<StreamTap> call)
    {
        try
        {
            call.accept(tap);
        }
        catch (final RuntimeException ex)
        {
            tapErrors++;
            failed("stream tap failed", ex);
        }
    }

    void onTapMessage(
        final StreamTap tap,
        final int handle,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        try
        {
            tap.onMessage(handle, messageType, timestamp, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            // a tap that fails once fails on every message: report the first and every 1,000th, count them all
            if (0 == tapErrors++ % 1000)
            {
                failed("stream tap failed (" + tapErrors + " so far)", ex);
            }
        }
    }

    void event(
        final MediaEvent event,
        final String protocol,
        final long connectionId,
        final InetSocketAddress peer,
        final String app,
        final String stream,
        final String detail)
    {
        try
        {
            listener.onEvent(event, protocol, connectionId, peer, app, stream, detail);
        }
        catch (final RuntimeException ex)
        {
            listenerErrors++;
            failed("media event listener failed", ex);
        }
    }

    void event(final MediaEvent event, final String protocol, final InetSocketAddress peer, final String app,
        final String stream)
    {
        event(event, protocol, 0, peer, app, stream, null);
    }

    // ---------------------------------------------------------------------------------------------------- duty

    /**
     * Housekeeping and the providers' pacing.
     *
     * @param nowNs the duty cycle's {@link #clock()}.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = 0, n = providers.size(); i < n; i++)
        {
            try
            {
                work += providers.get(i).doWork(nowNs);
            }
            catch (final RuntimeException ex)
            {
                failed("stream source provider failed", ex);
            }
        }
        return work;
    }

    @Override
    public int doWork()
    {
        return providers.isEmpty() ? 0 : doWork(clock.nanoTime());
    }

    @Override
    public void onClose()
    {
        for (final StreamSourceProvider provider : providers)
        {
            try
            {
                provider.close();
            }
            catch (final RuntimeException ex)
            {
                failed("stream source provider failed to close", ex);
            }
        }
    }

    @Override
    public String roleName()
    {
        return "flowcast-media";
    }
}
