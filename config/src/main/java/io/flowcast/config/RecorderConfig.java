package io.flowcast.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Stream recording.
 *
 * @param enabled   whether streams are recorded.
 * @param directory where journals go.
 * @param streams   {@code app/stream} patterns, {@code *} matching any characters.
 * @param retention how long recordings are kept; {@link Duration#ZERO} keeps them forever.
 */
public record RecorderConfig(boolean enabled, Path directory, List<String> streams, Duration retention)
{
    /**
     * @param enabled   enabled.
     * @param directory directory.
     * @param streams   stream patterns.
     * @param retention retention.
     */
    public RecorderConfig
    {
        streams = List.copyOf(streams);
    }

    /**
     * @param app    an app name.
     * @param stream a stream name.
     * @return true when {@code app/stream} matches one of {@link #streams()} and recording is enabled.
     */
    public boolean records(final String app, final String stream)
    {
        if (!enabled)
        {
            return false;
        }
        final String name = app + "/" + stream;
        for (final String pattern : streams)
        {
            if (globMatches(pattern, 0, name, 0))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean globMatches(final String pattern, final int p, final String text, final int t)
    {
        if (p == pattern.length())
        {
            return t == text.length();
        }
        if (pattern.charAt(p) == '*')
        {
            for (int i = t; i <= text.length(); i++)
            {
                if (globMatches(pattern, p + 1, text, i))
                {
                    return true;
                }
            }
            return false;
        }
        return t < text.length() && pattern.charAt(p) == text.charAt(t) && globMatches(pattern, p + 1, text, t + 1);
    }
}
