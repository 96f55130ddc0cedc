package io.flowcast.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version stamped into the build (engine resource {@code version.properties}).
 */
public final class FlowcastVersion implements CommandLine.IVersionProvider
{
    /**
     * @return the Flowcast version, or "unknown" when run from classes that were not built by Maven.
     */
    public static String version()
    {
        try (InputStream in = FlowcastVersion.class.getResourceAsStream("version.properties"))
        {
            if (null == in)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion()
    {
        return new String[]{ "flowcast " + version() + " (Java " + Runtime.version() + ", " +
            System.getProperty("java.vm.name") + ")" };
    }
}
