package io.flowcast.dissect;

import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for {@link Dissector} trees (maps, lists, strings, integral numbers, finite doubles, booleans,
 * null): one object per line, strings escaped per RFC 8259 §7. Non-finite doubles are written as {@code null}.
 */
public final class DissectionJson
{
    private DissectionJson()
    {
    }

    /**
     * @param value a tree of maps, lists and scalars.
     * @return its JSON text on one line.
     */
    public static String toJson(final Object value)
    {
        final StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    /**
     * @param out   destination.
     * @param value a tree of maps, lists and scalars.
     */
    public static void write(final StringBuilder out, final Object value)
    {
        if (null == value)
        {
            out.append("null");
        }
        else if (value instanceof String s)
        {
            string(out, s);
        }
        else if (value instanceof Boolean || value instanceof Integer || value instanceof Long ||
            value instanceof Short || value instanceof Byte)
        {
            out.append(value);
        }
        else if (value instanceof Number n)
        {
            final double d = n.doubleValue();
            if (Double.isFinite(d))
            {
                out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long)d) : Double.toString(d));
            }
            else
            {
                out.append("null");
            }
        }
        else if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        }
        else if (value instanceof List<?> list)
        {
            out.append('[');
            for (int i = 0; i < list.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        }
        else
        {
            string(out, value.toString());
        }
    }

    private static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) &&
                        !validSurrogate(s, i))
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(final String s, final int i)
    {
        final char c = s.charAt(i);
        if (Character.isHighSurrogate(c))
        {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
