package io.flowcast.recorder;

import java.util.List;

/**
 * Glob patterns over stream keys ({@code app/name}): {@code *} matches any run of characters except {@code /},
 * {@code **} any run including {@code /}, {@code ?} one character; a lone {@code *} matches every stream. Matching
 * works on any {@link CharSequence} (such as a {@link JournalMessage#streamKey()} view) and allocates nothing.
 */
public final class StreamPattern
{
    private final String glob;

    private StreamPattern(final String glob)
    {
        this.glob = glob;
    }

    /**
     * @param glob such as {@code live/*}, {@code *}, {@code telemetry/**}.
     * @return the pattern.
     * @throws IllegalArgumentException if the glob is empty.
     */
    public static StreamPattern of(final String glob)
    {
        if (null == glob || glob.isBlank())
        {
            throw new IllegalArgumentException("stream pattern is empty: use app/name, app/* or *");
        }
        return new StreamPattern(glob.strip());
    }

    /**
     * @return the glob as given.
     */
    public String glob()
    {
        return glob;
    }

    /**
     * @param key stream key.
     * @return true if the key matches.
     */
    public boolean matches(final CharSequence key)
    {
        if ("*".equals(glob))
        {
            return true;
        }
        return match(glob, 0, key, 0);
    }

    /**
     * @param patterns to try.
     * @param key      stream key.
     * @return true if any pattern matches.
     */
    public static boolean anyMatches(final List<StreamPattern> patterns, final CharSequence key)
    {
        for (int i = 0, n = patterns.size(); i < n; i++)
        {
            if (patterns.get(i).matches(key))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean match(final String p, final int pi, final CharSequence s, final int si)
    {
        int i = pi;
        int j = si;
        while (i < p.length())
        {
            final char c = p.charAt(i);
            if (c == '*')
            {
                final boolean crossesSlash = i + 1 < p.length() && p.charAt(i + 1) == '*';
                final int next = crossesSlash ? i + 2 : i + 1;
                for (int k = j; k <= s.length(); k++)
                {
                    if (match(p, next, s, k))
                    {
                        return true;
                    }
                    if (k < s.length() && !crossesSlash && s.charAt(k) == '/')
                    {
                        return false;
                    }
                }
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j)) || (c == '?' && s.charAt(j) == '/'))
            {
                return false;
            }
            i++;
            j++;
        }
        return j == s.length();
    }

    @Override
    public String toString()
    {
        return glob;
    }
}
