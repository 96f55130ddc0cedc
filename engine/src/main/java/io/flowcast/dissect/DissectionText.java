package io.flowcast.dissect;

import java.util.List;
import java.util.Map;

/**
 * Readable rendering of a {@link Dissector} tree: one summary line per datagram, then an indented header line and
 * one line per chunk with its fields as {@code name=value} (nested values as compact JSON).
 */
public final class DissectionText
{
    private DissectionText()
    {
    }

    /**
     * @param d a tree returned by {@link Dissector#dissect}.
     * @return its lines, each ending with a newline.
     */
    public static String format(final Map<String, Object> d)
    {
        final StringBuilder out = new StringBuilder(256);
        out.append('#').append(d.get("frame")).append(' ').append(String.format("%.6f", (Double)d.get("t")))
            .append(' ').append(d.get("src")).append(" -> ").append(d.get("dst"))
            .append(" len ").append(d.get("len"));
        if (Boolean.TRUE.equals(d.get("truncated")))
        {
            out.append(" (truncated)");
        }
        if (null != d.get("sessionId"))
        {
            out.append(" sid ").append(d.get("sessionId"));
        }
        out.append(" key ").append(d.get("key"));
        if (d.containsKey("keyLine"))
        {
            out.append("(line ").append(d.get("keyLine")).append(')');
        }
        if (d.containsKey("hmacLength"))
        {
            out.append(" hmac").append(d.get("hmacLength"));
        }
        else if ("checksum".equals(d.get("integrity")))
        {
            out.append(" checksum");
        }
        if (d.containsKey("sessionSequenceNumber"))
        {
            out.append(" sseq ").append(d.get("sessionSequenceNumber"));
        }
        if (d.containsKey("framing"))
        {
            out.append(' ').append(d.get("framing"));
        }
        if (Boolean.TRUE.equals(d.get("verified")))
        {
            out.append(" verified");
        }
        else
        {
            out.append(" NOT verified: ").append(d.get("reason"));
        }
        out.append('\n');
        if (d.containsKey("warning"))
        {
            out.append("    warning: ").append(d.get("warning")).append('\n');
        }
        if (d.containsKey("error"))
        {
            out.append("    error: ").append(d.get("error")).append('\n');
        }
        if (d.get("header") instanceof Map<?, ?> header)
        {
            out.append("    header");
            fields(out, header);
            out.append('\n');
        }
        if (d.get("chunks") instanceof List<?> chunks)
        {
            for (final Object o : chunks)
            {
                final Map<?, ?> chunk = (Map<?, ?>)o;
                out.append("    ").append(String.format("0x%02x", (Integer)chunk.get("type"))).append(' ')
                    .append(chunk.get("name")).append(" @").append(chunk.get("offset"))
                    .append(" len ").append(chunk.get("len"));
                if (chunk.containsKey("error"))
                {
                    out.append(" error ").append(chunk.get("error"));
                }
                if (chunk.get("fields") instanceof Map<?, ?> fields && !fields.isEmpty())
                {
                    out.append(':');
                    fields(out, fields);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void fields(final StringBuilder out, final Map<?, ?> fields)
    {
        for (final Map.Entry<?, ?> e : fields.entrySet())
        {
            out.append(' ').append(e.getKey()).append('=');
            final Object v = e.getValue();
            if (v instanceof String s && !s.isEmpty() && s.indexOf(' ') < 0 && s.indexOf('"') < 0)
            {
                out.append(s);
            }
            else
            {
                DissectionJson.write(out, v);
            }
        }
    }
}
