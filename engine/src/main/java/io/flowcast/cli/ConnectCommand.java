package io.flowcast.cli;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.startup.StartupObserver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast connect rtmfp://host[:port]/path}: a connectivity check for people. Opens one session with an
 * ephemeral identity (invoker mode, this thread), prints every startup step with its time since start, the server's
 * fingerprint and a few ping round trips, closes in order; on failure says at which step and the likely cause.
 */
@Command(name = "connect", description = "Check that an RTMFP server answers: startup steps, fingerprint, pings.")
final class ConnectCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "rtmfp://host[:port]/path (port 1935 by default).")
    String uri;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up opening after this (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 10;

    @Option(names = "--pings", paramLabel = "N", description = "Pings to send once open (default: ${DEFAULT-VALUE}).")
    int pings = 3;

    @Option(names = "--fingerprint", paramLabel = "HEX",
        description = "Connect to the endpoint with this fingerprint (64 hex digits) instead of by the URI.")
    String fingerprint;

    @Option(names = "-4", description = "IPv4 addresses only.")
    boolean ipv4;

    @Option(names = "-6", description = "IPv6 addresses only.")
    boolean ipv6;

    /** What the opening reached; drives the diagnosis on failure. */
    final class Progress implements StartupObserver, SessionListener
    {
        final List<InetSocketAddress> helloTargets = new ArrayList<>();
        final List<InetSocketAddress> redirectedTo = new ArrayList<>();
        InetSocketAddress rhelloFrom;
        InetSocketAddress notSelectedFrom;
        boolean iikeyingSent;
        boolean rikeyingReceived;
        Session opened;
        CloseReason failed;
        CloseReason closed;

        @Override
        public void helloSent(final long openId, final InetSocketAddress candidate)
        {
            if (!helloTargets.contains(candidate))
            {
                helloTargets.add(candidate);
                step("IHello sent to " + candidate);
            }
        }

        @Override
        public void rhelloReceived(final long openId, final InetSocketAddress from)
        {
            if (null == rhelloFrom)
            {
                rhelloFrom = from;
                step("RHello from " + from);
            }
        }

        @Override
        public void notSelected(final long openId, final InetSocketAddress from)
        {
            if (null == notSelectedFrom)
            {
                notSelectedFrom = from;
                step("RHello from " + from + " with a certificate our EPD does not select");
            }
        }

        @Override
        public void iikeyingSent(final long openId, final InetSocketAddress to)
        {
            if (!iikeyingSent)
            {
                iikeyingSent = true;
                step("IIKeying sent to " + to);
            }
        }

        @Override
        public void rikeyingReceived(final long openId)
        {
            if (!rikeyingReceived)
            {
                rikeyingReceived = true;
                step("RIKeying received");
            }
        }

        @Override
        public void redirected(final long openId, final InetSocketAddress from, final List<InetSocketAddress> addresses)
        {
            step("Redirect from " + from + " to " + (addresses.isEmpty() ? "(its source)" : addresses.toString()));
            redirectedTo.addAll(addresses);
        }

        @Override
        public void opened(final Session session)
        {
        }

        @Override
        public void failed(final long openId, final CloseReason reason)
        {
            failed = reason;
        }

        @Override
        public void onSessionOpened(final Session session)
        {
            opened = session;
            // session IDs are four opaque bytes: print all eight hex digits, as the key log and dissector do
            step(String.format("open (session %08x ↔ %08x)", session.localSessionId(), session.farSessionId()));
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
    }

    private PrintWriter out;
    private long startNs;

    private void step(final String what)
    {
        out.printf(Locale.ROOT, "%9.1f ms  %s%n", (System.nanoTime() - startNs) / 1e6, what);
        out.flush();
    }

    @Override
    public Integer call()
    {
        out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final URI parsed;
        final List<InetSocketAddress> candidates = new ArrayList<>();
        byte[] fingerprintBytes = null;
        try
        {
            parsed = URI.create(uri);
            if (!"rtmfp".equalsIgnoreCase(parsed.getScheme()) || null == parsed.getHost())
            {
                throw new IllegalArgumentException("not an rtmfp://host[:port]/path URI: " + uri);
            }
            if (null != fingerprint)
            {
                fingerprintBytes = HexFormat.of().parseHex(fingerprint.trim());
                if (32 != fingerprintBytes.length)
                {
                    throw new IllegalArgumentException("a fingerprint is 32 bytes (64 hex digits)");
                }
            }
            final String host = parsed.getHost().startsWith("[") ?
                parsed.getHost().substring(1, parsed.getHost().length() - 1) : parsed.getHost();
            final int port = parsed.getPort() < 0 ? RtmfpEndpoint.DEFAULT_PORT : parsed.getPort();
            for (final InetAddress address : InetAddress.getAllByName(host))
            {
                if ((ipv4 && !(address instanceof Inet4Address)) || (ipv6 && !(address instanceof Inet6Address)))
                {
                    continue;
                }
                candidates.add(new InetSocketAddress(address, port));
            }
            if (candidates.isEmpty())
            {
                throw new IllegalArgumentException("no " + (ipv4 ? "IPv4 " : ipv6 ? "IPv6 " : "") + "address for " + host);
            }
        }
        catch (final UnknownHostException ex)
        {
            err.println("flowcast connect: unknown host: " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("flowcast connect: " + ex.getMessage());
            err.flush();
            return 1;
        }

        final Progress progress = new Progress();
        final long timeoutNs = (long)(timeoutSeconds * 1e9);
        final EndpointContext context = new EndpointContext()
            .keying(new SessionKeying(new SecureRandom(), DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
                DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
            .acceptIncoming(false)
            .threading(EndpointContext.Threading.INVOKER)
            .openTimeout(timeoutNs, TimeUnit.NANOSECONDS)
            .helloInterval(500, TimeUnit.MILLISECONDS)
            .listener(progress)
            .startupObserver(progress);
        boolean anyV4 = false;
        boolean anyV6 = false;
        for (final InetSocketAddress candidate : candidates)
        {
            anyV4 |= candidate.getAddress() instanceof Inet4Address;
            anyV6 |= candidate.getAddress() instanceof Inet6Address;
        }
        if (anyV4)
        {
            context.bind(new InetSocketAddress("0.0.0.0", 0));
        }
        if (anyV6)
        {
            context.bind(new InetSocketAddress("::", 0));
        }

        try (RtmfpEndpoint endpoint = RtmfpEndpoint.launch(context))
        {
            startNs = System.nanoTime();
            out.println("flowcast connect: " + uri + (null != fingerprintBytes ? " (by fingerprint)" : "") +
                ", candidates " + candidates);
            out.flush();
            if (null != fingerprintBytes)
            {
                endpoint.connectToFingerprint(fingerprintBytes, candidates);
            }
            else
            {
                endpoint.connect(RtmfpEndpoint.uriDiscriminator(uri), candidates);
            }
            final long giveUpNs = startNs + timeoutNs + TimeUnit.SECONDS.toNanos(1);
            while (null == progress.opened && null == progress.failed && System.nanoTime() - giveUpNs < 0)
            {
                idle(endpoint);
            }
            if (null == progress.opened)
            {
                err.println("flowcast connect: FAILED: " + diagnosis(progress, candidates, null != fingerprintBytes));
                err.flush();
                return 1;
            }
            final Session session = progress.opened;
            out.println("fingerprint " + HexFormat.of().formatHex(session.farFingerprint()));
            out.flush();
            for (int i = 0; i < pings && null == progress.closed; i++)
            {
                final long replies = session.pingRepliesReceived();
                endpoint.ping(session);
                final long pingDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (session.pingRepliesReceived() == replies && null == progress.closed &&
                    System.nanoTime() - pingDeadline < 0)
                {
                    idle(endpoint);
                }
                if (session.pingRepliesReceived() == replies)
                {
                    out.println("ping " + (i + 1) + ": no reply within 2 s");
                }
                else
                {
                    out.printf(Locale.ROOT, "ping %d: %.3f ms%n", i + 1, session.pingRttNanos() / 1e6);
                }
                out.flush();
            }
            if (null != progress.closed)
            {
                err.println("flowcast connect: FAILED: the server closed the session (" + progress.closed + ")");
                err.flush();
                return 1;
            }
            endpoint.close(session);
            final long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (null == progress.closed && System.nanoTime() - closeDeadline < 0)
            {
                idle(endpoint);
            }
            step(null == progress.closed ? "closed (no Close Acknowledgement within 3 s)" :
                "closed (" + progress.closed + ")");
            return 0;
        }
        catch (final RuntimeException ex)
        {
            err.println("flowcast connect: " + ex.getMessage());
            err.flush();
            return 1;
        }
    }

    private static void idle(final RtmfpEndpoint endpoint)
    {
        if (0 == endpoint.doWork())
        {
            try
            {
                Thread.sleep(0, 200_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String diagnosis(
        final ConnectCommand.Progress progress, final List<InetSocketAddress> candidates, final boolean byFingerprint)
    {
        final CloseReason reason = null == progress.failed ? CloseReason.OPEN_TIMEOUT : progress.failed;
        if (progress.rikeyingReceived || CloseReason.KEYING_FAILED == reason || CloseReason.NO_COMMON_GROUP == reason)
        {
            return "keying refused (" + reason + "): crypto or HMAC/sequence-number requirements differ";
        }
        if (progress.iikeyingSent)
        {
            return "no RIKeying after IIKeying to " + progress.rhelloFrom +
                ": crypto or HMAC/sequence-number requirements differ (or the server refused the cookie)";
        }
        if (null != progress.notSelectedFrom && null == progress.rhelloFrom)
        {
            return "the server at " + progress.notSelectedFrom +
                " is not that endpoint (its certificate does not match the " +
                "URI or fingerprint: EPD not selecting)";
        }
        if (null == progress.rhelloFrom && !progress.redirectedTo.isEmpty())
        {
            for (final InetSocketAddress address : progress.redirectedTo)
            {
                if (isPrivate(address.getAddress()))
                {
                    return "redirected to private address " + address + " which does not answer: " +
                        "the redirecting server is behind NAT and does not advertise its public address";
                }
            }
            return "redirected to " + progress.redirectedTo + ", none answered: UDP blocked or nothing listening there";
        }
        if (null == progress.rhelloFrom)
        {
            return "no RHello (" + reason + "): UDP blocked or nothing listening at " +
                (candidates.size() == 1 ? candidates.get(0).toString() : candidates.toString()) +
                (byFingerprint ? " (or the server is not that endpoint: a responder ignores other endpoints' EPDs)" : "");
        }
        return "opening failed after RHello from " + progress.rhelloFrom + " (" + reason + ")";
    }

    static boolean isPrivate(final InetAddress address)
    {
        if (address.isSiteLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress() ||
            address.isAnyLocalAddress())
        {
            return true;
        }
        final byte[] bytes = address.getAddress();
        if (4 == bytes.length)
        {
            return (bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64; // 100.64/10 carrier-grade NAT
        }
        return (bytes[0] & 0xFE) == 0xFC; // fc00::/7 unique local
    }
}
