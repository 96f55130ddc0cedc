package io.flowcast.cli;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client endpoint for the command line's RTMFP clients ({@code bench}, {@code publish}, {@code play}): ephemeral
 * identity, invoker mode on the calling thread, one session opened by URI.
 */
final class RtmfpClient implements SessionListener, AutoCloseable
{
    final RtmfpEndpoint endpoint;
    Session session;
    CloseReason failed;
    CloseReason closed;

    private RtmfpClient(final RtmfpEndpoint endpoint)
    {
        this.endpoint = endpoint;
    }

    /**
     * Resolve an {@code rtmfp://host[:port]/...} URI to its candidate addresses.
     */
    static List<InetSocketAddress> candidates(final String uri) throws UnknownHostException
    {
        final URI parsed = URI.create(uri);
        if (!"rtmfp".equalsIgnoreCase(parsed.getScheme()) || null == parsed.getHost())
        {
            throw new IllegalArgumentException("not an rtmfp://host[:port]/... URI: " + uri);
        }
        final int port = parsed.getPort() > 0 ? parsed.getPort() : RtmfpEndpoint.DEFAULT_PORT;
        String host = parsed.getHost();
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final List<InetSocketAddress> candidates = new ArrayList<>();
        for (final InetAddress address : InetAddress.getAllByName(host))
        {
            candidates.add(new InetSocketAddress(address, port));
        }
        return candidates;
    }

    /**
     * Open a session to {@code uri}, waiting up to {@code timeoutSeconds}.
     *
     * @throws IllegalStateException when it does not open.
     */
    static RtmfpClient open(final String uri, final double timeoutSeconds, final FlowListener flows)
        throws UnknownHostException
    {
        final RtmfpClient client = start(uri, timeoutSeconds, flows);
        final RtmfpEndpoint endpoint = client.endpoint;
        final long deadline = System.nanoTime() + (long)((timeoutSeconds + 1) * 1e9);
        while (null == client.session && null == client.failed && System.nanoTime() - deadline < 0)
        {
            if (0 == endpoint.doWork())
            {
                Thread.onSpinWait();
            }
        }
        if (null == client.session)
        {
            endpoint.close();
            throw new IllegalStateException("could not open a session to " + uri + " (" +
                (null == client.failed ? "timeout" : client.failed) + "); try `flowcast connect " + uri + "`");
        }
        return client;
    }

    /**
     * Launch the endpoint and start opening a session to {@code uri}, without waiting: the caller drives
     * {@link #endpoint} from its thread until {@link #session} or {@link #failed} is set.
     */
    static RtmfpClient start(final String uri, final double timeoutSeconds, final FlowListener flows)
        throws UnknownHostException
    {
        final List<InetSocketAddress> candidates = candidates(uri);
        final EndpointContext context = new EndpointContext()
            .keying(new SessionKeying(new SecureRandom(), DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
                DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
            .acceptIncoming(false)
            .threading(EndpointContext.Threading.INVOKER)
            .openTimeout((long)(timeoutSeconds * 1e9), TimeUnit.NANOSECONDS)
            .helloInterval(500, TimeUnit.MILLISECONDS)
            .flowListener(flows);
        boolean v4 = false;
        boolean v6 = false;
        for (final InetSocketAddress candidate : candidates)
        {
            v4 |= candidate.getAddress() instanceof Inet4Address;
            v6 |= !(candidate.getAddress() instanceof Inet4Address);
        }
        if (v4)
        {
            context.bind(new InetSocketAddress("0.0.0.0", 0));
        }
        if (v6)
        {
            context.bind(new InetSocketAddress("::", 0));
        }
        final RtmfpClient[] holder = new RtmfpClient[1];
        context.listener(new SessionListener()
        {
            @Override
            public void onSessionOpened(final Session session)
            {
                holder[0].onSessionOpened(session);
            }

            @Override
            public void onSessionClosed(final Session session, final CloseReason reason)
            {
                holder[0].onSessionClosed(session, reason);
            }

            @Override
            public void onOpenFailed(final long openId, final CloseReason reason)
            {
                holder[0].onOpenFailed(openId, reason);
            }
        });
        final RtmfpEndpoint endpoint = RtmfpEndpoint.launch(context);
        final RtmfpClient client = new RtmfpClient(endpoint);
        holder[0] = client;
        endpoint.connect(RtmfpEndpoint.uriDiscriminator(uri), candidates);
        return client;
    }

    @Override
    public void onSessionOpened(final Session session)
    {
        this.session = session;
    }

    @Override
    public void onSessionClosed(final Session session, final CloseReason reason)
    {
        closed = reason;
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        failed = reason;
    }

    /**
     * Close the session in order and wait a little for the far end's acknowledgement.
     */
    @Override
    public void close()
    {
        if (null != session && null == closed)
        {
            endpoint.close(session);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (null == closed && System.nanoTime() - deadline < 0)
            {
                endpoint.doWork();
            }
        }
        endpoint.close();
    }
}
