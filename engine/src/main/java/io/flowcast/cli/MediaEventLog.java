package io.flowcast.cli;

import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.media.MediaEventListener;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * {@code flowcast server}'s media log, the sibling of {@link SessionEventLog}: one JSON object per line on stdout for
 * every connect, reject, publish, play, unpublish, stop and close of the media server, whatever the protocol, e.g.
 * <pre>
 * {"event":"publish","time":"…","protocol":"rtmp","connection":3,"peer":"127.0.0.1:50312","app":"live","stream":"s"}
 * </pre>
 * App and stream names come from the network: they are escaped. Runs on the media agent thread on rare events.
 */
final class MediaEventLog implements MediaEventListener
{
    private final PrintWriter out;

    MediaEventLog(final PrintWriter out)
    {
        this.out = out;
    }

    @Override
    public void onEvent(
        final MediaEvent event,
        final String protocol,
        final long connectionId,
        final InetSocketAddress peer,
        final String app,
        final String stream,
        final String detail)
    {
        final StringBuilder line = new StringBuilder(192)
            .append("{\"event\":\"").append(event.label())
            .append("\",\"time\":\"").append(Instant.now())
            .append("\",\"protocol\":");
        string(line, protocol);
        line.append(",\"connection\":").append(connectionId);
        if (null != peer)
        {
            final String host = peer.getAddress().getHostAddress();
            line.append(",\"peer\":");
            string(line, (peer.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + peer.getPort());
        }
        if (null != app)
        {
            line.append(",\"app\":");
            string(line, app);
        }
        if (null != stream)
        {
            line.append(",\"stream\":");
            string(line, stream);
        }
        if (null != detail)
        {
            line.append(",\"detail\":");
            string(line, detail);
        }
        line.append('}');
        out.println(line);
        out.flush();
    }

    /**
     * Append a JSON string (RFC 8259 §7): quotes, backslash and control characters escaped.
     */
    static void string(final StringBuilder line, final String value)
    {
        line.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ('"' == c || '\\' == c)
            {
                line.append('\\').append(c);
            }
            else if (c < 0x20 || 0x2028 == c || 0x2029 == c)
            {
                line.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                line.append(c);
            }
        }
        line.append('"');
    }
}
