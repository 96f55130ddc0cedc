package io.flowcast.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads from a merged {@link Config} that never throw: a value that cannot be read is recorded as a
 * {@link ConfigProblem} and a fallback is returned so validation carries on and reports everything at once.
 */
final class ConfigReader
{
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private final Config config;
    private final String prefix;
    private final List<ConfigProblem> problems;

    ConfigReader(final Config config, final String prefix, final List<ConfigProblem> problems)
    {
        this.config = config;
        this.prefix = prefix;
        this.problems = problems;
    }

    boolean has(final String key)
    {
        return config.hasPath(key);
    }

    void problem(final String key, final String value, final String reason, final String fix)
    {
        final ConfigValue found = config.hasPath(key) ? config.getValue(key) : null;
        problems.add(at(prefix + key, value, reason, fix, null == found ? null : found.origin()));
    }

    void problem(final String key, final String reason, final String fix)
    {
        problem(key, render(key), reason, fix);
    }

    String render(final String key)
    {
        return config.hasPath(key) ? render(config.getValue(key)) : "";
    }

    static String render(final ConfigValue value)
    {
        return value.valueType() == ConfigValueType.STRING ?
            (String)value.unwrapped() : value.render(CONCISE);
    }

    static ConfigProblem at(
        final String key, final String value, final String reason, final String fix, final ConfigOrigin origin)
    {
        if (null == origin)
        {
            return new ConfigProblem(key, value, reason, fix, "defaults", 0);
        }
        if (null != origin.filename())
        {
            return new ConfigProblem(key, value, reason, fix, origin.filename(), Math.max(0, origin.lineNumber()));
        }
        String description = origin.description();
        description = description.replaceFirst(": \\d+$", "");
        final int line = "defaults".equals(description) ? Math.max(0, origin.lineNumber()) : 0;
        return new ConfigProblem(key, value, reason, fix, description, line);
    }

    String string(final String key)
    {
        final ConfigValue value = config.getValue(key);
        if (value.valueType() == ConfigValueType.STRING || value.valueType() == ConfigValueType.NUMBER ||
            value.valueType() == ConfigValueType.BOOLEAN)
        {
            return String.valueOf(value.unwrapped());
        }
        problem(key, "must be a single value, not " + typeName(value), "write it as text, e.g. " + key + " = \"...\"");
        return "";
    }

    boolean bool(final String key, final boolean fallback)
    {
        try
        {
            return config.getBoolean(key);
        }
        catch (final ConfigException.WrongType ex)
        {
            problem(key, "must be true or false", "write true or false");
            return fallback;
        }
    }

    long integer(final String key, final long min, final long max, final String fix)
    {
        final ConfigValue value = config.getValue(key);
        final Object raw = value.unwrapped();
        long n;
        if (raw instanceof Integer || raw instanceof Long)
        {
            n = ((Number)raw).longValue();
        }
        else if (raw instanceof String && ((String)raw).trim().matches("-?\\d{1,18}"))
        {
            n = Long.parseLong(((String)raw).trim());
        }
        else
        {
            problem(key, "must be a whole number from " + min + " to " + max, fix);
            return min;
        }
        if (n < min || n > max)
        {
            problem(key, "must be a whole number from " + min + " to " + max, fix);
            return min;
        }
        return n;
    }

    int port(final String key, final int usual)
    {
        return (int)integer(key, 1, 65535, "use a port from 1 to 65535, e.g. " + usual);
    }

    long bytes(final String key, final long min, final long max)
    {
        final long n;
        try
        {
            n = config.getBytes(key);
        }
        catch (final ConfigException.BadValue | ConfigException.WrongType ex)
        {
            problem(key, "not a size", "write a number of bytes or a number with a unit, e.g. 65536, 512 KiB, 4 MiB");
            return min;
        }
        if (n < min || n > max)
        {
            problem(key, "must be from " + min + " to " + max + " bytes", "write a size in that range, e.g. 1 MiB");
            return min;
        }
        return n;
    }

    Duration duration(final String key, final Duration min)
    {
        final Duration d;
        try
        {
            d = config.getDuration(key);
        }
        catch (final ConfigException.BadValue | ConfigException.WrongType ex)
        {
            problem(key, "not a duration", "write a number with a unit, e.g. 500ms, 2s, 12h, 7d");
            return min;
        }
        if (d.compareTo(min) < 0)
        {
            problem(key, "must be at least " + describe(min), "write a longer duration, e.g. 2s");
            return min;
        }
        return d;
    }

    /**
     * A list of text: a HOCON list, or (from environment variables and flags) comma-separated text.
     */
    List<String> strings(final String key)
    {
        final ConfigValue value = config.getValue(key);
        final List<String> out = new ArrayList<>();
        if (value.valueType() == ConfigValueType.STRING)
        {
            for (final String part : ((String)value.unwrapped()).split(","))
            {
                if (!part.isBlank())
                {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (value.valueType() == ConfigValueType.LIST)
        {
            for (final Object element : (List<?>)value.unwrapped())
            {
                if (element instanceof String || element instanceof Number)
                {
                    out.add(String.valueOf(element));
                }
                else
                {
                    problem(key, "every element must be a single value", "write a list such as [\"a\", \"b\"]");
                    return List.of();
                }
            }
            return out;
        }
        problem(key, "must be a list, not " + typeName(value), "write a list such as [\"a\", \"b\"]");
        return out;
    }

    <E extends Enum<E>> E choice(final String key, final Class<E> type, final E fallback)
    {
        final String given = string(key).trim().toLowerCase(Locale.ROOT);
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            final String name = configName(constant);
            if (name.equals(given))
            {
                return constant;
            }
            names.add(name);
        }
        final String suggestion = KeySuggester.suggest(given, names);
        problem(key, "not one of: " + String.join(", ", names),
            null != suggestion ? "did you mean " + suggestion + "?" : "write one of those");
        return fallback;
    }

    static String configName(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String typeName(final ConfigValue value)
    {
        switch (value.valueType())
        {
            case OBJECT:
                return "a section";
            case LIST:
                return "a list";
            case NULL:
                return "null";
            default:
                return "a single value";
        }
    }

    private static String describe(final Duration d)
    {
        return d.isZero() ? "0" : d.toMillis() + "ms";
    }
}
