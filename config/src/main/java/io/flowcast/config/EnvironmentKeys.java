package io.flowcast.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The mapping between configuration keys and environment variables: {@code FLOWCAST_} + the key in upper case
 * with {@code .} written {@code _} and {@code -} written {@code __}. So {@code rtmfp.port} is
 * {@code FLOWCAST_RTMFP_PORT} and {@code limits.max-sessions} is {@code FLOWCAST_LIMITS_MAX__SESSIONS}.
 */
public final class EnvironmentKeys
{
    /** Every environment variable that sets a key starts with this. */
    public static final String PREFIX = "FLOWCAST_";

    /**
     * Variables with the prefix that belong to the {@code ./flowcast} launcher or to tests, not to the configuration
     * ({@code FLOWCAST_REFERENCE_BIN}: where interop tests find the reference peer's programs).
     */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of(
        "FLOWCAST_JAVA_OPTS", "FLOWCAST_REBUILD", "FLOWCAST_REFERENCE_BIN");

    /**
     * Short names documented elsewhere (issue 5: {@code FLOWCAST_KEYLOG=FILE}) for keys whose generic variable is
     * longer; both forms work.
     */
    public static final Map<String, String> ALIASES = Map.of("FLOWCAST_KEYLOG", "logging.keylog");

    private EnvironmentKeys()
    {
    }

    /**
     * @param key a key path such as {@code limits.max-sessions}.
     * @return its environment variable, e.g. {@code FLOWCAST_LIMITS_MAX__SESSIONS}.
     */
    public static String variableFor(final String key)
    {
        return PREFIX + key.replace("-", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * @param variable an environment variable name.
     * @return the key it sets, or null when it is not a configuration variable.
     */
    public static String keyFor(final String variable)
    {
        final String alias = ALIASES.get(variable);
        if (null != alias)
        {
            return alias;
        }
        if (!variable.startsWith(PREFIX) || variable.length() == PREFIX.length() ||
            LAUNCHER_VARIABLES.contains(variable))
        {
            return null;
        }
        return variable.substring(PREFIX.length())
            .toLowerCase(Locale.ROOT)
            .replace("__", "-")
            .replace('_', '.');
    }
}
