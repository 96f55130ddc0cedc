package io.flowcast.cli;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code flowcast server}'s session log: one JSON object per line on stdout for every session opened
 * ({@code "event":"session-open"}) and closed ({@code "event":"session-close"}, with reason, duration and counts).
 * Runs on the agent thread; sessions open and close rarely, so allocating here is fine.
 */
final class SessionEventLog implements SessionListener
{
    private final PrintWriter out;
    private final Map<Session, Long> openedAtNs = new HashMap<>();

    SessionEventLog(final PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void onSessionOpened(final Session session)
    {
        openedAtNs.put(session, System.nanoTime());
        final StringBuilder line = begin("session-open", session);
        final byte[] fingerprint = session.farFingerprint();
        line.append(",\"fingerprint\":")
            .append(null == fingerprint ? "null" : "\"" + HexFormat.of().formatHex(fingerprint) + "\"").append('}');
        emit(line);
    }

    @Override
    public void onSessionClosed(final Session session, final CloseReason reason)
    {
        final Long opened = openedAtNs.remove(session);
        final StringBuilder line = begin("session-close", session);
        line.append(",\"reason\":\"").append(reason.name()).append('"');
        if (null != opened)
        {
            line.append(",\"durationMs\":").append((System.nanoTime() - opened) / 1_000_000);
        }
        line.append(",\"datagramsIn\":").append(session.datagramsIn())
            .append(",\"bytesIn\":").append(session.bytesIn())
            .append(",\"datagramsOut\":").append(session.datagramsOut())
            .append(",\"bytesOut\":").append(session.bytesOut())
            .append('}');
        emit(line);
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        emit(new StringBuilder("{\"event\":\"open-failed\",\"time\":\"").append(Instant.now())
            .append("\",\"openId\":").append(openId).append(",\"reason\":\"").append(reason.name()).append("\"}"));
    }

    private static StringBuilder begin(final String event, final Session session)
    {
        return new StringBuilder(192)
            .append("{\"event\":\"").append(event)
            .append("\",\"time\":\"").append(Instant.now())
            .append("\",\"sessionId\":\"").append(hex8(session.localSessionId()))
            .append("\",\"farSessionId\":\"").append(hex8(session.farSessionId()))
            .append("\",\"farAddress\":\"").append(address(session.farAddress()))
            .append("\",\"role\":\"").append(session.isInitiator() ? "initiator" : "responder").append('"');
    }

    private static String hex8(final int value)
    {
        return String.format("%08x", value);
    }

    private static String address(final InetSocketAddress address)
    {
        if (null == address)
        {
            return "";
        }
        final String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void emit(final CharSequence line)
    {
        out.println(line);
        out.flush();
    }
}
