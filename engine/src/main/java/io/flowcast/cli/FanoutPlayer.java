package io.flowcast.cli;

import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.media.AuthTokens;
import io.flowcast.engine.tc.TcClient;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * One player of a {@code bench fanout} run: its own endpoint and session, a NetConnection and a NetStream playing the
 * run's stream, and the latency of every audio and video message it gets, from the moment the publisher was due to
 * send it. Driven by one {@link FanoutWorker} thread; the publishing thread reads only {@link #received()}.
 */
final class FanoutPlayer implements TcClient.Listener
{
    private enum State
    {
        NEW, OPENING, CONNECTING, CREATING, PLAY_REQUESTED, PLAYING, ENDED, FAILED
    }

    private final int index;
    private final FanoutRun run;
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 2);
    private RtmfpClient rtmfp;
    private TcClient client;
    private State state = State.NEW;
    /** Its sockets are registered with the worker's selector. */
    private boolean selectable;
    /** The last duty cycle did work: run it again without waiting for a datagram. */
    private boolean busy;
    private String failure;
    private long audio;
    private long video;
    private long data;
    /** Audio and video messages; read by the publishing thread to end early. */
    private volatile long received;
    private long openDeadlineNs;

    FanoutPlayer(final int index, final FanoutRun run)
    {
        this.index = index;
        this.run = run;
    }

    int index()
    {
        return index;
    }

    /**
     * @return why it failed, or null.
     */
    String failure()
    {
        return failure;
    }

    long audio()
    {
        return audio;
    }

    long video()
    {
        return video;
    }

    /**
     * @return audio and video messages received (any thread).
     */
    long received()
    {
        return received;
    }

    /**
     * @return latency of each audio and video message, µs (read it once the worker has ended).
     */
    Histogram latency()
    {
        return latency;
    }

    /**
     * Start the endpoint and the session's opening.
     */
    void start()
    {
        try
        {
            rtmfp = RtmfpClient.start(run.tcUrl, run.joinTimeoutSeconds, null);
            openDeadlineNs = System.nanoTime() + (long)(run.joinTimeoutSeconds * 1e9);
            state = State.OPENING;
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("could not start: " + ex);
        }
    }

    /**
     * Register the endpoint's sockets with the worker's selector, this player as the keys' attachment.
     */
    void register(final Selector selector)
    {
        selectable = null != rtmfp && rtmfp.endpoint.registerReadable(selector, this);
    }

    /**
     * @return true when the endpoint must run without a ready socket: a test transport, or output still to flush.
     */
    boolean needsStep()
    {
        return !selectable || busy;
    }

    /**
     * One duty cycle of the endpoint, then the joining steps.
     *
     * @param now {@link System#nanoTime()}.
     * @return the endpoint's work count.
     */
    int step(final long now)
    {
        if (null == rtmfp || State.FAILED == state)
        {
            return 0;
        }
        final int work = rtmfp.endpoint.doWork();
        busy = work > 0;
        if (null != client)
        {
            client.poll(now);
        }
        switch (state)
        {
            case OPENING:
                if (null != rtmfp.session)
                {
                    connect();
                }
                else if (null != rtmfp.failed || now - openDeadlineNs > 0)
                {
                    fail("session did not open (" + (null == rtmfp.failed ? "timeout" : rtmfp.failed) + ")");
                }
                break;

            case CONNECTING:
            case CREATING:
            case PLAY_REQUESTED:
                if (now - openDeadlineNs > 0)
                {
                    fail("no answer in " + state);
                }
                break;

            default:
                break;
        }
        if (null != rtmfp.closed && State.FAILED != state && State.ENDED != state && !run.isStopped())
        {
            fail("session closed (" + rtmfp.closed + ")");
        }
        return work;
    }

    private void connect()
    {
        client = new TcClient(rtmfp.session, this);
        rtmfp.session.flowListener(client);
        final String[] args = run.tokens.toArray(new String[0]);
        if (run.hashToken && args.length > 0)
        {
            args[args.length - 1] = AuthTokens.hashWithNonce(rtmfp.session.farNonce(), args[args.length - 1]);
        }
        state = State.CONNECTING;
        if (!client.connect(run.tcUrl, run.app, args))
        {
            fail("could not open the NetConnection flow");
        }
    }

    private void fail(final String why)
    {
        if (State.FAILED == state)
        {
            return;
        }
        final boolean wasJoining = State.PLAYING != state && State.ENDED != state;
        failure = why;
        state = State.FAILED;
        if (wasJoining)
        {
            run.failed.incrementAndGet();
        }
    }

    /**
     * Close the session in order, so the server frees it now rather than at its idle timeout.
     */
    void closeSession()
    {
        if (null != rtmfp && null != rtmfp.session && null == rtmfp.closed)
        {
            rtmfp.endpoint.close(rtmfp.session);
        }
    }

    /**
     * @return true when there is no session (any more).
     */
    boolean closed()
    {
        return null == rtmfp || null == rtmfp.session || null != rtmfp.closed;
    }

    /**
     * Close the endpoint.
     */
    void close()
    {
        if (null != rtmfp)
        {
            try
            {
                rtmfp.endpoint.close();
            }
            catch (final RuntimeException ex)
            {
                // closing at exit: nothing to do about it
            }
        }
    }

    @Override
    public void onConnect(final boolean success, final String code, final String description)
    {
        if (success && State.CONNECTING == state)
        {
            state = State.CREATING;
            client.createStream();
        }
        else if (!success)
        {
            fail("connect refused: " + code + " (" + description + ")");
        }
    }

    @Override
    public void onStreamCreated(final int streamId)
    {
        if (streamId > 0 && State.CREATING == state)
        {
            state = State.PLAY_REQUESTED;
            client.play(run.stream);
        }
        else if (streamId <= 0)
        {
            fail("createStream refused");
        }
    }

    @Override
    public void onStatus(final int streamId, final String level, final String code, final String description)
    {
        if ("NetStream.Play.Start".equals(code) && State.PLAY_REQUESTED == state)
        {
            state = State.PLAYING;
            run.joined.incrementAndGet();
        }
        else if ("NetStream.Play.UnpublishNotify".equals(code) && run.isPublishing() && State.PLAYING == state)
        {
            state = State.ENDED;
            run.ended.incrementAndGet();
        }
        else if ("error".equals(level) && State.PLAY_REQUESTED == state)
        {
            fail("play refused: " + code + " (" + description + ")");
        }
    }

    @Override
    public void onMedia(final int streamId, final int type, final int timestamp, final DirectBuffer buffer,
        final int offset, final int length)
    {
        if (MessageType.AUDIO == type || MessageType.VIDEO == type)
        {
            if (MessageType.AUDIO == type)
            {
                audio++;
            }
            else
            {
                video++;
            }
            received = received + 1; // one writer
            final long startNs = run.publishStartNs();
            if (0 != startNs)
            {
                final long dueNs =
                    startNs + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timestamp - run.firstTimestamp()));
                final long micros = (System.nanoTime() - dueNs) / 1000;
                latency.recordValue(Math.max(1, Math.min(micros, latency.getHighestTrackableValue())));
            }
        }
        else
        {
            data++;
        }
    }
}
