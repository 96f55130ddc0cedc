package io.flowcast.cli;

import io.flowcast.config.ConfigLoader;
import io.flowcast.config.ConfigOverride;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.LocalMachine;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration flags every command that needs a configuration shares (a picocli mixin):
 * {@code --config FILE}, repeated {@code --set key=value}, and named shortcuts. Flags override environment
 * variables, which override the file; among flags, the named ones apply first and {@code --set} last.
 */
public final class ConfigOptions
{
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (HOCON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", converter = SetConverter.class,
        description = "Set a configuration key, e.g. --set rtmfp.port=1936 (repeatable; lists: a,b or [\"a\",\"b\"]).")
    List<ConfigOverride> sets = new ArrayList<>();

    @Option(names = "--rtmfp", paramLabel = "HOST:PORT",
        description = "RTMFP bind address and main UDP port (rtmfp.bind, rtmfp.port), e.g. 0.0.0.0:1935 or [::]:1935; " +
        "repeatable for several addresses, which share one port.")
    List<String> rtmfp = new ArrayList<>();

    @Option(names = "--rtmp", paramLabel = "HOST:PORT",
        description = "RTMP bind address and TCP port (rtmp.bind, rtmp.port).")
    String rtmp;

    @Option(names = "--record", paramLabel = "DIR",
        description = "Record every stream into DIR (recorder.enabled = true, recorder.directory = DIR, " +
        "recorder.streams = [\"*\"]; --set recorder.streams=... after it narrows).")
    Path record;

    /**
     * @return the configuration file given with {@code --config}, or null.
     */
    public Path configFile()
    {
        return config;
    }

    /**
     * A malformed HOST:PORT is passed on as given, so validation reports it with the flag's name.
     *
     * @return every override from these flags, in the order they apply.
     */
    public List<ConfigOverride> overrides()
    {
        final List<ConfigOverride> out = new ArrayList<>();
        addHostPorts(out, "--rtmfp", rtmfp, "rtmfp");
        addHostPorts(out, "--rtmp", null == rtmp ? List.of() : List.of(rtmp), "rtmp");
        if (null != record)
        {
            out.add(new ConfigOverride("recorder.enabled", "true", "--record"));
            out.add(new ConfigOverride("recorder.directory", record.toString(), "--record"));
            out.add(new ConfigOverride("recorder.streams", "*", "--record"));
        }
        out.addAll(sets);
        return out;
    }

    /**
     * Load the configuration from these flags, the process environment and this machine.
     *
     * @param file the configuration file (a positional argument may take the place of {@code --config}), or null.
     * @return the configuration or its problems.
     */
    public ConfigResult load(final Path file)
    {
        return ConfigLoader.load(file, System.getenv(), overrides(), LocalMachine.probe());
    }

    /**
     * Load with an explicit environment and machine (tests).
     *
     * @param file    the configuration file, or null.
     * @param env     environment variables.
     * @param machine this machine.
     * @return the configuration or its problems.
     */
    public ConfigResult load(final Path file, final Map<String, String> env, final LocalMachine machine)
    {
        return ConfigLoader.load(file, env, overrides(), machine);
    }

    /**
     * Turn repeated {@code HOST:PORT} flags into one {@code bind} list and one {@code port}: the configuration has a
     * single main port for all bind addresses, so different ports are refused here with a message naming both.
     */
    private static void addHostPorts(
        final List<ConfigOverride> out, final String flag, final List<String> values, final String section)
    {
        final List<ConfigOverride> parts = new ArrayList<>();
        for (final String value : values)
        {
            addHostPort(parts, flag, value, section);
        }
        final List<String> hosts = new ArrayList<>();
        String port = null;
        for (final ConfigOverride part : parts)
        {
            if (part.key().endsWith(".bind"))
            {
                hosts.add(part.value());
            }
            else if (null != port && !port.equals(part.value()))
            {
                throw new IllegalArgumentException(flag + ": all addresses share one port (" + section +
                    ".port), but both " + port + " and " + part.value() + " were given; use the same port, e.g. " +
                    flag + " 0.0.0.0:" + port + " " + flag + " [::1]:" + port);
            }
            else
            {
                port = part.value();
            }
        }
        if (!hosts.isEmpty())
        {
            out.add(new ConfigOverride(section + ".bind", String.join(",", hosts), flag));
        }
        if (null != port)
        {
            out.add(new ConfigOverride(section + ".port", port, flag));
        }
    }

    private static void addHostPort(
        final List<ConfigOverride> out, final String flag, final String value, final String section)
    {
        final String text = value.trim();
        String host = text;
        String port = null;
        if (text.startsWith("["))
        {
            final int close = text.indexOf(']');
            host = close > 0 ? text.substring(1, close) : text;
            if (close > 0 && close + 1 < text.length() && text.charAt(close + 1) == ':')
            {
                port = text.substring(close + 2);
            }
            else if (close > 0 && close + 1 < text.length())
            {
                host = text; // let validation name it: not an IP address
            }
        }
        else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') >= 0)
        {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (!host.isEmpty())
        {
            out.add(new ConfigOverride(section + ".bind", host, flag));
        }
        if (null != port)
        {
            out.add(new ConfigOverride(section + ".port", port, flag));
        }
    }

    /**
     * Converts {@code key=value} for {@code --set}, refusing text without {@code =} with a usage error.
     */
    static final class SetConverter implements CommandLine.ITypeConverter<ConfigOverride>
    {
        @Override
        public ConfigOverride convert(final String value)
        {
            try
            {
                return ConfigOverride.parseSet(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
