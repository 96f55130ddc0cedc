package io.flowcast.cli;

import io.flowcast.engine.media.AuthTokens;
import io.flowcast.engine.tc.TcClient;
import org.agrona.DirectBuffer;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code flowcast publish} and {@code flowcast play} share: an RTMFP session to {@code rtmfp://HOST[:PORT]/APP
 * #STREAM} (invoker mode on the calling thread), an RFC 7425 NetConnection on it ({@link TcClient}) with one NetStream,
 * and the errors a person can act on.
 */
abstract class MediaClient implements TcClient.Listener, AutoCloseable
{
    final String uri;
    final String tcUrl;
    final String app;
    final String stream;
    final PrintWriter err;
    RtmfpClient rtmfp;
    TcClient client;
    String failure;
    boolean connected;
    int streamId = -1;

    MediaClient(final String uri, final PrintWriter err)
    {
        this.uri = uri;
        this.err = err;
        final URI parsed = URI.create(uri);
        if (!"rtmfp".equalsIgnoreCase(parsed.getScheme()) || null == parsed.getHost())
        {
            throw new IllegalArgumentException("not an rtmfp://HOST[:PORT]/APP#STREAM URI: " + uri);
        }
        final String path = null == parsed.getPath() ? "" : parsed.getPath().replaceAll("^/+|/+$", "");
        if (path.isEmpty() || null == parsed.getFragment() || parsed.getFragment().isEmpty())
        {
            throw new IllegalArgumentException("the URI needs an app and a stream name: rtmfp://HOST[:PORT]/APP#STREAM, " +
                "e.g. rtmfp://127.0.0.1/live#cam1 (got " + uri + ")");
        }
        app = path;
        stream = parsed.getFragment();
        final int hash = uri.indexOf('#');
        tcUrl = uri.substring(0, hash);
    }

    /**
     * Open the session, connect, create the stream.
     *
     * @throws IllegalStateException with what went wrong and what to do.
     */
    void open(final double timeoutSeconds, final List<String> connectArgs, final boolean hashToken) throws Exception
    {
        open(timeoutSeconds, connectArgs, hashToken, false);
    }

    void open(final double timeoutSeconds, final List<String> connectArgs, final boolean hashToken,
        final boolean requireAuthToken) throws Exception
    {
        rtmfp = RtmfpClient.open(tcUrl, timeoutSeconds, null);
        client = new TcClient(rtmfp.session, this);
        rtmfp.session.flowListener(client);
        final String[] args = connectArgs.toArray(new String[0]);
        if (hashToken && args.length > 0)
        {
            // tcserver's scheme: the token never travels in clear, HMAC-SHA256 keyed with the server's session nonce
            args[args.length - 1] = AuthTokens.hashWithNonce(rtmfp.session.farNonce(), args[args.length - 1]);
        }
        if (!client.connect(tcUrl, app, args))
        {
            throw new IllegalStateException("could not open the NetConnection flow");
        }
        final long deadline = System.nanoTime() + (long)(timeoutSeconds * 1e9);
        pumpUntil(() -> connected || null != failure, deadline, "no answer to connect from " + tcUrl);
        failIfFailed();
        if (requireAuthToken)
        {
            final String plain = connectArgs.isEmpty() ? "" : connectArgs.get(connectArgs.size() - 1);
            final String expected = AuthTokens.hashWithNonce(rtmfp.session.nearNonce(), plain);
            if (!expected.equals(client.authToken()))
            {
                throw new IllegalStateException("the server did not prove it knows the token (authToken " +
                    client.authToken() + "): not the server you meant, or a man in the middle");
            }
        }
        // as Flash does after connecting; the server's answer, Set Keepalive Timers, sets our session's keepalive
        client.setPeerInfo();
        client.createStream();
        pumpUntil(() -> streamId > 0 || null != failure, deadline, "no answer to createStream");
        failIfFailed();
    }

    void failIfFailed()
    {
        if (null != failure)
        {
            throw new IllegalStateException(failure);
        }
        if (null != rtmfp.closed)
        {
            throw new IllegalStateException("the server closed the session (" + rtmfp.closed + ")");
        }
    }

    void pumpUntil(final java.util.function.BooleanSupplier done, final long deadlineNs, final String timeout)
    {
        while (!done.getAsBoolean())
        {
            if (null != rtmfp.closed)
            {
                throw new IllegalStateException("the server closed the session (" + rtmfp.closed + ")");
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException(timeout);
            }
            pump();
        }
    }

    void pump()
    {
        if (null != client)
        {
            client.poll(System.nanoTime());
        }
        if (0 == rtmfp.endpoint.doWork())
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public void onConnect(final boolean success, final String code, final String description)
    {
        if (success)
        {
            connected = true;
        }
        else
        {
            failure = "connect refused: " + code + " (" + description + "); check the app name" +
                " and the token (--token) the server's auth-keys expect";
        }
    }

    @Override
    public void onStreamCreated(final int streamId)
    {
        if (streamId > 0)
        {
            this.streamId = streamId;
        }
        else
        {
            failure = "createStream refused by the server (too many streams on this connection?)";
        }
    }

    @Override
    public void onMedia(
        final int streamId, final int type, final int timestamp, final DirectBuffer buffer, final int offset,
        final int length)
    {
    }

    /**
     * Close the NetConnection flows, then the session, in order.
     */
    @Override
    public void close()
    {
        if (null != rtmfp)
        {
            if (null != client && null == rtmfp.closed)
            {
                client.closeFlows();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (client.bytesQueued() > 0 && null == rtmfp.closed && System.nanoTime() - deadline < 0)
                {
                    pump();
                }
            }
            rtmfp.close();
        }
    }
}
