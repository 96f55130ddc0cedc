package io.flowcast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fixed machine (10.0.0.4, 127.0.0.1, ::1; 4 processors) and helpers that write a config file and load it.
 */
final class ConfigFixture
{
    static final LocalMachine MACHINE = new LocalMachine(
        Set.of(address("10.0.0.4"), address("127.0.0.1"), address("::1")), 4);

    private ConfigFixture()
    {
    }

    static InetAddress address(final String literal)
    {
        return IpAddresses.parseLiteral(literal);
    }

    static Path write(final Path dir, final String text)
    {
        try
        {
            final Path file = dir.resolve("flowcast.conf");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static ConfigResult load(final Path file)
    {
        return ConfigLoader.load(file, Map.of(), List.of(), MACHINE);
    }

    static ConfigResult load(final Path file, final Map<String, String> env, final List<ConfigOverride> overrides)
    {
        return ConfigLoader.load(file, env, overrides, MACHINE);
    }
}
