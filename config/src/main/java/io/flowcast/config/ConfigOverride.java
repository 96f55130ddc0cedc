package io.flowcast.config;

/**
 * A value set from outside the file: an environment variable or a command-line flag.
 *
 * @param key    the key path, e.g. {@code rtmfp.port}.
 * @param value  the value as text; lists may be comma separated, or HOCON text starting with {@code [}.
 * @param origin where it came from, for messages: e.g. {@code --set} or {@code --rtmfp}.
 */
public record ConfigOverride(String key, String value, String origin)
{
    /**
     * Parse the argument of {@code --set key=value}.
     *
     * @param text the argument.
     * @return the override.
     * @throws IllegalArgumentException with a message for a person when there is no {@code =} or no key.
     */
    public static ConfigOverride parseSet(final String text)
    {
        final int eq = text.indexOf('=');
        if (eq <= 0)
        {
            throw new IllegalArgumentException(
                "'" + text + "' is not key=value; write e.g. --set rtmfp.port=1935");
        }
        return new ConfigOverride(text.substring(0, eq).trim(), text.substring(eq + 1).trim(), "--set");
    }
}
