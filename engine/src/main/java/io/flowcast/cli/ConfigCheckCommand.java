package io.flowcast.cli;

import io.flowcast.config.ConfigProblem;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.IdentityKeyFile;
import io.flowcast.config.IpAddresses;
import io.flowcast.config.RtmfpConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code flowcast config check [FILE]}: validates the configuration as the server would see it (file, environment,
 * flags) and prints every problem, one line each, or a summary of what the server would bind and advertise.
 */
@Command(name = "check", description = {
    "Validate a configuration (file < environment < flags) and print every problem with its fix.",
    "Exit status: 0 valid, 1 problems."})
final class ConfigCheckCommand implements Callable<Integer>
{
    /** Exit status when the configuration has problems. */
    static final int EXIT_PROBLEMS = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
        description = "The file to check (instead of --config); without either, the defaults are checked.")
    Path file;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Path path = null != file ? file : options.configFile();
        final String name = null == path ? "defaults" : path.toString();

        final ConfigResult result = options.load(path);
        final List<String> problems = new ArrayList<>();
        for (final ConfigProblem problem : result.problems())
        {
            problems.add(problem.format());
        }
        if (result.isValid())
        {
            final String identity = identityProblem(result.config().identity().keyFile());
            if (null != identity)
            {
                problems.add(identity);
            }
        }

        if (!problems.isEmpty())
        {
            for (final String line : problems)
            {
                err.println(line);
            }
            err.println("flowcast config check: " + problems.size() + (problems.size() == 1 ? " problem" :
                " problems") + " in " + name);
            err.flush();
            return EXIT_PROBLEMS;
        }

        final FlowcastConfig config = result.config();
        out.println(name + ": ok");
        summarise(out, config);
        for (final String note : result.notes())
        {
            out.println("note: " + note);
        }
        out.flush();
        return 0;
    }

    private static String identityProblem(final Path keyFile)
    {
        if (!Files.exists(keyFile))
        {
            return null; // made on first start
        }
        try
        {
            IdentityKeyFile.load(keyFile);
            return null;
        }
        catch (final IdentityKeyFile.IdentityKeyException ex)
        {
            return "identity.key-file = " + keyFile + ": " + ex.getMessage();
        }
    }

    private static void summarise(final PrintWriter out, final FlowcastConfig config)
    {
        final RtmfpConfig rtmfp = config.rtmfp();
        out.println("rtmfp: UDP " + addresses(rtmfp.bindAddresses()) + " port " + rtmfp.port() + " (one endpoint " +
            "agent, " + config.threading().mode().name().toLowerCase(java.util.Locale.ROOT) + " threading)");
        out.println("rtmp: " + (config.rtmp().enabled() ?
            "TCP " + addresses(config.rtmp().bindAddresses()) + " port " + config.rtmp().port() : "off"));
        out.println("recorder: " + (config.recorder().enabled() ? config.recorder().directory() : "off"));
        out.println("logging: " + config.logging().level().name().toLowerCase(java.util.Locale.ROOT) + " and above to " +
            config.logging().file().map(Object::toString).orElse("standard error") +
            config.logging().keylog().map(file -> "; session keys to " + file).orElse(""));
        out.println("identity: " + config.identity().keyFile() +
            (Files.exists(config.identity().keyFile()) ? "" : " (created on first start)"));
    }

    private static String addresses(final List<InetAddress> addresses)
    {
        final List<String> texts = new ArrayList<>();
        for (final InetAddress address : addresses)
        {
            texts.add(host(address));
        }
        return String.join(", ", texts);
    }

    private static String host(final InetAddress address)
    {
        final String text = IpAddresses.toText(address);
        return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }
}
