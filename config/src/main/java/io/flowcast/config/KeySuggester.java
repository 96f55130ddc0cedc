package io.flowcast.config;

import java.util.Collection;

/**
 * "Did you mean ...": the nearest known name by Damerau-Levenshtein distance (optimal string alignment: insert,
 * delete, substitute, or swap two neighbours, each costing one).
 */
public final class KeySuggester
{
    private KeySuggester()
    {
    }

    /**
     * @param a one string.
     * @param b another.
     * @return the optimal-string-alignment distance between them.
     */
    public static int distance(final String a, final String b)
    {
        final int n = a.length();
        final int m = b.length();
        final int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[n][m];
    }

    /**
     * The known name nearest to {@code unknown}, if it is near enough to be a likely typo: within a third of its
     * length (at least 2). Failing that, a known key path whose last segment is near the unknown's last segment
     * (a right name in the wrong section, e.g. {@code rtmp.key-file}).
     *
     * @param unknown the name given.
     * @param known   the names that exist.
     * @return the suggestion, or null when nothing is close.
     */
    public static String suggest(final String unknown, final Collection<String> known)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = distance(unknown, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (null != best && bestDistance <= Math.max(2, unknown.length() / 3))
        {
            return best;
        }

        final String leaf = lastSegment(unknown);
        best = null;
        bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = distance(leaf, lastSegment(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return null != best && bestDistance <= Math.max(1, leaf.length() / 4) ? best : null;
    }

    private static String lastSegment(final String key)
    {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
