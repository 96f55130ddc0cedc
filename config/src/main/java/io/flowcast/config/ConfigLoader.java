package io.flowcast.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds a {@link FlowcastConfig} from, lowest precedence first: the built-in defaults
 * ({@value #DEFAULTS_RESOURCE}), a file, environment variables ({@link EnvironmentKeys}), and command-line
 * overrides. Returns the configuration or every problem found, never throws for bad input.
 */
public final class ConfigLoader
{
    /** The commented default file, a resource beside this class: the fallback and {@code config defaults}. */
    public static final String DEFAULTS_RESOURCE = "flowcast-defaults.conf";

    private static final String DEFAULTS_ORIGIN = "defaults";
    private static final String APPS = "apps";
    private static final String APP_DEFAULTS = "app-defaults";
    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final String CORES = "cores behind one port are issue 16";
    /**
     * Keys a later issue will honour. The server does not read them, so they are refused unless they hold their
     * off state (what a file made by an older {@code config defaults} holds), and are not in the defaults.
     */
    private static final Map<String, Unsupported> UNSUPPORTED = Map.of(
        "rtmfp.public-addresses", new Unsupported("public addresses are advertised in redirects to cores: " + CORES),
        "rtmfp.core-ports", new Unsupported(CORES, "19350-65535"),
        "rtmfp.core-listeners", new Unsupported(CORES, "auto"),
        "stats.enabled", new Unsupported("no HTTP statistics yet; flowcast stat reads the counters file", "false",
            "off", "no"),
        "stats.bind", new Unsupported("no HTTP statistics yet; flowcast stat reads the counters file", "127.0.0.1"),
        "stats.port", new Unsupported("no HTTP statistics yet; flowcast stat reads the counters file", "8935"));

    private ConfigLoader()
    {
    }

    /**
     * @return the text of the commented default file.
     */
    public static String defaultsText()
    {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("resource " + DEFAULTS_RESOURCE + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Every key path Flowcast knows: the leaves of the default file. App keys appear under {@code app-defaults}.
     *
     * @return the known keys, in file order.
     */
    public static Set<String> knownKeys()
    {
        final Set<String> keys = new java.util.TreeSet<>();
        for (final Map.Entry<String, ConfigValue> entry : defaults().entrySet())
        {
            keys.add(entry.getKey());
        }
        return keys;
    }

    /**
     * Load and validate.
     *
     * @param file      the configuration file, or null for defaults only.
     * @param env       environment variables (the CLI passes {@code System.getenv()}; tests pass a map).
     * @param overrides command-line overrides, applied in order (a later one wins).
     * @param machine   this machine's addresses and processors.
     * @return the configuration, or every problem.
     */
    public static ConfigResult load(
        final Path file, final Map<String, String> env, final List<ConfigOverride> overrides,
        final LocalMachine machine)
    {
        final List<ConfigProblem> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Config defaults = defaults();

        Config fileConfig = ConfigFactory.empty();
        if (null != file)
        {
            fileConfig = parseFile(file, problems);
            if (!problems.isEmpty())
            {
                return new ConfigResult(null, problems, notes);
            }
        }

        final List<ConfigOverride> all = new ArrayList<>();
        for (final Map.Entry<String, String> entry : new TreeMap<>(env).entrySet())
        {
            final String key = EnvironmentKeys.keyFor(entry.getKey());
            if (null != key)
            {
                all.add(new ConfigOverride(key, entry.getValue(), "environment variable " + entry.getKey()));
            }
        }
        all.addAll(overrides);
        Config overrideConfig = ConfigFactory.empty();
        for (final ConfigOverride override : all)
        {
            final Config one = overrideConfig(override, problems);
            if (null != one)
            {
                overrideConfig = one.withFallback(overrideConfig);
            }
        }

        final Config merged;
        try
        {
            merged = overrideConfig.withFallback(fileConfig).withFallback(defaults)
                .resolve(ConfigResolveOptions.noSystem().appendResolver(new EnvResolver(env)));
        }
        catch (final ConfigException ex)
        {
            problems.add(fromException(ex, "write ${?NAME} to make a substitution optional, or set NAME"));
            return new ConfigResult(null, problems, notes);
        }

        final Config supported = refuseUnsupported(merged, problems);
        checkUnknownKeys(supported, problems);
        final Config sound = sound(supported, defaults.resolve(), problems);
        final FlowcastConfig config = new Validation(sound, machine, problems, notes).build();
        return new ConfigResult(config, problems, notes);
    }

    /**
     * @return the keys that are recognised but not supported yet (refused unless off), sorted.
     */
    public static Set<String> unsupportedKeys()
    {
        return new java.util.TreeSet<>(UNSUPPORTED.keySet());
    }

    /**
     * Refuse each not-yet-supported key that is set to anything but its off state, and take them all out, so that
     * the rest of validation never sees them.
     */
    private static Config refuseUnsupported(final Config merged, final List<ConfigProblem> problems)
    {
        Config rest = merged;
        for (final Map.Entry<String, Unsupported> entry : new TreeMap<>(UNSUPPORTED).entrySet())
        {
            final String key = entry.getKey();
            if (!merged.hasPathOrNull(key))
            {
                continue;
            }
            final ConfigValue value = merged.getValue(key);
            if (!entry.getValue().isOff(value))
            {
                problems.add(ConfigReader.at(key, ConfigReader.render(value),
                    "not supported yet (" + entry.getValue().reason() + ")", "remove the key", value.origin()));
            }
            rest = rest.withoutPath(key);
        }
        return rest;
    }

    /**
     * A key the server does not read yet: why, and the values that mean "off" (an empty list always does).
     */
    private record Unsupported(String reason, Set<String> offValues)
    {
        Unsupported(final String reason, final String... offValues)
        {
            this(reason, Set.of(offValues));
        }

        boolean isOff(final ConfigValue value)
        {
            if (value.valueType() == ConfigValueType.LIST)
            {
                return ((com.typesafe.config.ConfigList)value).isEmpty();
            }
            final String text = String.valueOf(value.unwrapped()).trim();
            return offValues.contains(text.toLowerCase(java.util.Locale.ROOT)) ||
                offValues.isEmpty() && text.isEmpty();
        }
    }

    private static Config defaults()
    {
        return ConfigFactory.parseString(defaultsText(),
            ConfigParseOptions.defaults().setOriginDescription(DEFAULTS_ORIGIN).setSyntax(ConfigSyntax.CONF));
    }

    private static Config parseFile(final Path file, final List<ConfigProblem> problems)
    {
        final String name = file.toString();
        if (!Files.exists(file))
        {
            problems.add(new ConfigProblem("", "", "cannot read the configuration file: no such file",
                "check the path, or start one with: flowcast config defaults > " + name, name, 0));
            return ConfigFactory.empty();
        }
        if (Files.isDirectory(file))
        {
            problems.add(new ConfigProblem("", "", "cannot read the configuration file: it is a directory",
                "give the path of a file", name, 0));
            return ConfigFactory.empty();
        }
        if (!Files.isReadable(file))
        {
            problems.add(new ConfigProblem("", "", "cannot read the configuration file: permission denied",
                "make it readable by this user, e.g. chmod u+r " + name, name, 0));
            return ConfigFactory.empty();
        }
        try
        {
            return ConfigFactory.parseFile(file.toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        }
        catch (final ConfigException ex)
        {
            problems.add(fromException(ex, "correct the syntax (HOCON: key = value, sections in { })"));
            return ConfigFactory.empty();
        }
    }

    private static Config overrideConfig(final ConfigOverride override, final List<ConfigProblem> problems)
    {
        final String text = override.value();
        try
        {
            final ConfigValue value;
            if (text.startsWith("[") || text.startsWith("{"))
            {
                value = ConfigFactory.parseString("v = " + text,
                    ConfigParseOptions.defaults().setOriginDescription(override.origin())).getValue("v");
            }
            else
            {
                value = ConfigValueFactory.fromAnyRef(text, override.origin());
            }
            return value.atPath(override.key());
        }
        catch (final ConfigException.BadPath ex)
        {
            problems.add(new ConfigProblem(override.key(), text, "not a valid key",
                "write a key such as rtmfp.port; flowcast config defaults lists them all", override.origin(), 0));
        }
        catch (final ConfigException ex)
        {
            problems.add(new ConfigProblem(override.key(), text, "not a valid value: " + stripOrigin(ex),
                "quote text, or write a list as [\"a\", \"b\"]", override.origin(), 0));
        }
        return null;
    }

    private static ConfigProblem fromException(final ConfigException ex, final String fix)
    {
        final ConfigOrigin origin = ex.origin();
        final ConfigProblem at = ConfigReader.at("", "", stripOrigin(ex), fix, origin);
        return null == origin ? new ConfigProblem("", "", stripOrigin(ex), fix, "configuration", 0) : at;
    }

    private static String stripOrigin(final ConfigException ex)
    {
        String message = ex.getMessage();
        final ConfigOrigin origin = ex.origin();
        if (null != origin && message.startsWith(origin.description()))
        {
            message = message.substring(origin.description().length());
        }
        message = message.replaceFirst("^[:\\s]+", "");
        return message;
    }

    /**
     * The merged values re-laid over the defaults, so that validation finds every known key with a non-null value:
     * a null, or a section replaced by a single value ({@code rtmfp = 5}), is reported here once and the default
     * stands in for it.
     */
    private static Config sound(final Config merged, final Config defaults, final List<ConfigProblem> problems)
    {
        final Set<String> reported = new java.util.HashSet<>();
        Config sound = defaults;
        for (final String key : knownKeys())
        {
            final ConfigValue value = walk(merged.root(), key, "", problems, reported);
            if (null != value)
            {
                sound = sound.withValue(key, value);
            }
        }
        final List<String> appKeys = appKeys(knownKeys());
        final ConfigValue apps = merged.root().get(APPS);
        if (null == apps || apps.valueType() != ConfigValueType.OBJECT)
        {
            if (null != apps)
            {
                problems.add(ConfigReader.at(APPS, ConfigReader.render(apps), "must be a section of apps, not " +
                    typeName(apps), "write apps { NAME { ... } }", apps.origin()));
            }
            return sound;
        }
        for (final Map.Entry<String, ConfigValue> app : ((ConfigObject)apps).entrySet())
        {
            final String appPath = ConfigUtil.joinPath(APPS, app.getKey());
            if (app.getValue().valueType() != ConfigValueType.OBJECT)
            {
                problems.add(ConfigReader.at(appPath, ConfigReader.render(app.getValue()), "must be a section, not " +
                    typeName(app.getValue()), "write " + appPath + " { ... }", app.getValue().origin()));
                continue;
            }
            sound = sound.withValue(appPath, ConfigFactory.empty().root().withOrigin(app.getValue().origin()));
            for (final String appKey : appKeys)
            {
                final ConfigValue value = walk(app.getValue(), appKey, appPath + ".", problems, reported);
                if (null != value)
                {
                    sound = sound.withValue(appPath + "." + appKey, value);
                }
            }
        }
        return sound;
    }

    private static ConfigValue walk(
        final ConfigValue root, final String key, final String prefix, final List<ConfigProblem> problems,
        final Set<String> reported)
    {
        final List<String> parts = ConfigUtil.splitPath(key);
        ConfigValue current = root;
        for (int i = 0; i < parts.size(); i++)
        {
            final ConfigValue next = ((ConfigObject)current).get(parts.get(i));
            final String path = prefix + ConfigUtil.joinPath(parts.subList(0, i + 1));
            if (null == next)
            {
                return null;
            }
            if (next.valueType() == ConfigValueType.NULL)
            {
                if (reported.add(path))
                {
                    problems.add(ConfigReader.at(path, "null", "is null",
                        "give it a value, or remove it to use the default", next.origin()));
                }
                return null;
            }
            if (i < parts.size() - 1 && next.valueType() != ConfigValueType.OBJECT)
            {
                if (reported.add(path))
                {
                    problems.add(ConfigReader.at(path, ConfigReader.render(next), "must be a section, not " +
                        typeName(next), "write " + path + " { ... } or " + path + ".KEY = VALUE", next.origin()));
                }
                return null;
            }
            current = next;
        }
        return current;
    }

    private static String typeName(final ConfigValue value)
    {
        switch (value.valueType())
        {
            case LIST:
                return "a list";
            case NULL:
                return "null";
            case OBJECT:
                return "a section";
            default:
                return "a single value";
        }
    }

    private static List<String> appKeys(final Set<String> known)
    {
        final List<String> appKeys = new ArrayList<>();
        for (final String key : known)
        {
            if (key.startsWith(APP_DEFAULTS + "."))
            {
                appKeys.add(key.substring(APP_DEFAULTS.length() + 1));
            }
        }
        return appKeys;
    }

    private static void checkUnknownKeys(final Config merged, final List<ConfigProblem> problems)
    {
        final Set<String> known = knownKeys();
        final List<String> appKeys = appKeys(known);
        for (final Map.Entry<String, ConfigValue> entry : merged.entrySet())
        {
            final String path = entry.getKey();
            final List<String> parts = ConfigUtil.splitPath(path);
            final String suggestion;
            if (APPS.equals(parts.get(0)) && parts.size() <= 2 || isSection(path, known))
            {
                continue; // a section replaced by a value: reported by sound()
            }
            if (APPS.equals(parts.get(0)))
            {
                final String appKey = ConfigUtil.joinPath(parts.subList(2, parts.size()));
                if (appKeys.contains(appKey))
                {
                    continue;
                }
                if (isSection(appKey, appKeys))
                {
                    continue;
                }
                final String near = KeySuggester.suggest(appKey, appKeys);
                suggestion = null == near ? null : ConfigUtil.joinPath(parts.subList(0, 2)) + "." + near;
            }
            else if (known.contains(path))
            {
                continue;
            }
            else
            {
                suggestion = KeySuggester.suggest(path, known);
            }

            final ConfigOrigin origin = entry.getValue().origin();
            final boolean fromEnv = null == origin.filename() &&
                origin.description().startsWith("environment variable");
            final String fix;
            if (null == suggestion)
            {
                fix = "remove it; flowcast config defaults lists every key";
            }
            else
            {
                fix = "did you mean " + (fromEnv ? EnvironmentKeys.variableFor(suggestion) : suggestion) + "?";
            }
            problems.add(ConfigReader.at(path, ConfigReader.render(entry.getValue()), "unknown key", fix, origin));
        }
    }

    private static boolean isSection(final String path, final Iterable<String> known)
    {
        for (final String key : known)
        {
            if (key.startsWith(path + "."))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves {@code ${NAME}} / {@code ${?NAME}} in files from the given environment, not the process's.
     */
    private static final class EnvResolver implements ConfigResolver
    {
        private final Map<String, String> env;

        EnvResolver(final Map<String, String> env)
        {
            this.env = env;
        }

        @Override
        public ConfigValue lookup(final String path)
        {
            final String value = env.get(path);
            return null == value ? null : ConfigValueFactory.fromAnyRef(value, "environment variable " + path);
        }

        @Override
        public ConfigResolver withFallback(final ConfigResolver fallback)
        {
            final ConfigResolver self = this;
            return new ConfigResolver()
            {
                @Override
                public ConfigValue lookup(final String path)
                {
                    final ConfigValue value = self.lookup(path);
                    return null != value ? value : fallback.lookup(path);
                }

                @Override
                public ConfigResolver withFallback(final ConfigResolver next)
                {
                    return this;
                }
            };
        }
    }

    /**
     * The meaning checks, section by section.
     */
    private static final class Validation
    {
        private final Config merged;
        private final ConfigReader r;
        private final LocalMachine machine;
        private final List<ConfigProblem> problems;
        private final List<String> notes;

        Validation(
            final Config merged, final LocalMachine machine, final List<ConfigProblem> problems,
            final List<String> notes)
        {
            this.merged = merged;
            this.r = new ConfigReader(merged, "", problems);
            this.machine = machine;
            this.problems = problems;
            this.notes = notes;
        }

        FlowcastConfig build()
        {
            final RtmfpConfig rtmfp = rtmfp();
            final ThreadingConfig threading = new ThreadingConfig(
                r.choice("threading.mode", ThreadingMode.class, ThreadingMode.SHARED),
                r.choice("threading.idle-strategy", IdleStrategyKind.class, IdleStrategyKind.BACKOFF));
            final CryptoConfig crypto = crypto();
            final IdentityConfig identity = new IdentityConfig(file("identity.key-file", "flowcast-identity.key"));
            final LimitsConfig limits = limits();
            final AppConfig appDefaults = app("*", merged.getConfig(APP_DEFAULTS), APP_DEFAULTS + ".", null);
            final Map<String, AppConfig> apps = apps(appDefaults);
            final RtmpConfig rtmp = new RtmpConfig(
                r.bool("rtmp.enabled", true),
                bindAddresses("rtmp.bind", "bind :: or 0.0.0.0 (a TCP port forwarded through NAT needs no setting)"),
                r.port("rtmp.port", 1935),
                (int)r.integer("rtmp.max-connections", 1, 1_000_000, "use 1 to 1000000, e.g. 1000"),
                r.duration("rtmp.stall-timeout", Duration.ofSeconds(1)));
            final RecorderConfig recorder = recorder();
            final LoggingConfig logging = new LoggingConfig(
                r.choice("logging.level", LogLevel.class, LogLevel.INFO),
                r.string("logging.file").isBlank() ? Optional.empty() : Optional.of(file("logging.file", "")),
                r.string("logging.keylog").isBlank() ? Optional.empty() :
                    Optional.of(file("logging.keylog", "flowcast.keylog")));

            final FlowsConfig flows = new FlowsConfig(
                r.choice("flows.congestion-control", CongestionControlKind.class, CongestionControlKind.RFC7016),
                r.bytes("flows.fixed-window", 1200, Integer.MAX_VALUE),
                r.duration("flows.delay-target", Duration.ofMillis(1)),
                r.bool("flows.latency-histograms", false));
            return problems.isEmpty() ? new FlowcastConfig(
                rtmfp, threading, crypto, identity, limits, appDefaults, apps, rtmp, recorder, logging, flows) :
                null;
        }

        private RtmfpConfig rtmfp()
        {
            final List<InetAddress> bind = bindAddresses("rtmfp.bind",
                "bind :: or 0.0.0.0 (public addresses behind NAT are not supported yet)");
            return new RtmfpConfig(bind, r.port("rtmfp.port", 1935));
        }

        private List<InetAddress> bindAddresses(final String key, final String notHereFix)
        {
            final List<InetAddress> out = new ArrayList<>();
            final int before = problems.size();
            final List<String> texts = r.strings(key);
            if (texts.isEmpty() && problems.size() == before)
            {
                r.problem(key, "no address to bind", "list at least one, e.g. [\"::\"]");
            }
            for (final String text : texts)
            {
                final InetAddress address = IpAddresses.parseLiteral(text);
                if (null == address)
                {
                    if (hasPort(text))
                    {
                        r.problem(key, text, "has a port; bind addresses are IP addresses only",
                            "write the port in " + key.replace(".bind", ".port"));
                    }
                    else if (IpAddresses.isHostName(text))
                    {
                        r.problem(key, text,
                            "is a host name; bind addresses must be IP addresses so binding never depends on DNS",
                            "write an IP address of this machine, or :: for all");
                    }
                    else
                    {
                        r.problem(key, text, "not an IP address",
                            "write an IP address of this machine, e.g. :: (all) or 0.0.0.0 (all IPv4)");
                    }
                    continue;
                }
                if (address.isAnyLocalAddress() && address.getAddress().length == 16 && !hasIpv6())
                {
                    r.problem(key, text, ":: needs IPv6, but this JVM sees no IPv6 address on this machine (IPv6 " +
                        "disabled, or java.net.preferIPv4Stack=true), so binding it would fail",
                        "bind 0.0.0.0 (IPv4 only)");
                    continue;
                }
                if (!address.isAnyLocalAddress() && !machine.has(address))
                {
                    final List<String> own = new ArrayList<>();
                    for (final InetAddress a : machine.addresses())
                    {
                        own.add(IpAddresses.toText(a));
                    }
                    r.problem(key, text, "not an address of this machine (it has: " + String.join(", ", own) + ")",
                        notHereFix);
                    continue;
                }
                if (out.contains(address))
                {
                    r.problem(key, text, "listed twice", "remove one");
                    continue;
                }
                out.add(address);
            }
            boolean v4Any = false;
            boolean v6Any = false;
            for (final InetAddress address : out)
            {
                v4Any |= address.isAnyLocalAddress() && address.getAddress().length == 4;
                v6Any |= address.isAnyLocalAddress() && address.getAddress().length == 16;
            }
            if (v4Any && v6Any)
            {
                r.problem(key, "0.0.0.0 and :: together: a :: socket is dual-stack (it also receives IPv4), so " +
                    "binding both on one port fails with 'Address already in use'",
                    "keep only :: (IPv4 and IPv6) or only 0.0.0.0 (IPv4 only)");
            }
            return out;
        }

        private boolean hasIpv6()
        {
            for (final InetAddress address : machine.addresses())
            {
                if (address.getAddress().length == 16)
                {
                    return true;
                }
            }
            return false;
        }

        private static boolean hasPort(final String text)
        {
            return text.matches("\\[[^\\]]*]:\\d+") || text.matches("[^:\\[\\]]+:\\d+");
        }

        private CryptoConfig crypto()
        {
            final Negotiation hmac = r.choice("crypto.hmac", Negotiation.class, Negotiation.REQUIRED);
            final int hmacLength = (int)r.integer("crypto.hmac-length", 4, 32,
                "RFC 7425 allows 4 to 32 HMAC bytes; 16 is usual");
            final Negotiation sseq = r.choice("crypto.session-sequence-numbers", Negotiation.class,
                Negotiation.REQUIRED);
            if (sseq != Negotiation.OFF && hmac == Negotiation.OFF)
            {
                notes.add("crypto: session sequence numbers without HMAC are protected only by the checksum " +
                    "(RFC 7425 notes 4.5); consider crypto.hmac = required.");
            }

            final List<Integer> groups = new ArrayList<>();
            final int before = problems.size();
            final List<String> texts = r.strings("crypto.dh-groups");
            final boolean readable = problems.size() == before;
            for (final String text : texts)
            {
                final int group;
                if (!text.trim().matches("\\d{1,4}"))
                {
                    r.problem("crypto.dh-groups", text, "not a group number", "use groups from 2, 5, 14, 16");
                    continue;
                }
                group = Integer.parseInt(text.trim());
                if (!CryptoConfig.KNOWN_DH_GROUPS.contains(group))
                {
                    r.problem("crypto.dh-groups", text, "group " + group + " is not an RFC 7425 Diffie-Hellman group",
                        "use groups from 2, 5, 14, 16");
                }
                else if (groups.contains(group))
                {
                    r.problem("crypto.dh-groups", text, "group " + group + " is listed twice", "remove one");
                }
                else
                {
                    groups.add(group);
                }
            }
            if (readable && !groups.contains(2))
            {
                r.problem("crypto.dh-groups", "group 2 is missing: Flash Player and most RTMFP clients only " +
                    "offer 1024-bit group 2, so they could not key a session", "add 2, e.g. [2, 14, 16]");
            }
            return new CryptoConfig(hmac, hmacLength, sseq, groups);
        }

        private Path path(final String key, final String example)
        {
            final String text = r.string(key).trim();
            if (text.isEmpty())
            {
                r.problem(key, "is empty", "write a file path, e.g. " + example);
                return Path.of(example);
            }
            return Path.of(text);
        }

        /**
         * A file the server writes: its directory must exist, and it must not be a directory.
         */
        private Path file(final String key, final String example)
        {
            final Path file = path(key, example);
            final Path parent = file.toAbsolutePath().getParent();
            if (Files.isDirectory(file))
            {
                r.problem(key, "is a directory", "give a file path, e.g. " + file.resolve(example));
            }
            else if (null != parent && !Files.isDirectory(parent))
            {
                r.problem(key, "its directory " + parent + " does not exist",
                    "create the directory or choose another path");
            }
            return file;
        }

        private LimitsConfig limits()
        {
            final int maxSessions = (int)r.integer("limits.max-sessions", 1, 10_000_000,
                "write how many sessions at most, e.g. 10000");
            final int before = problems.size();
            final long sessionBytes = r.bytes("limits.session-buffer-bytes", 1024, Integer.MAX_VALUE);
            final long flowBytes = r.bytes("limits.flow-buffer-bytes", 1024, Integer.MAX_VALUE);
            if (problems.size() == before && flowBytes > sessionBytes)
            {
                r.problem("limits.flow-buffer-bytes", "larger than limits.session-buffer-bytes = " + sessionBytes +
                    "; a flow's buffer is part of its session's",
                    "lower it or raise limits.session-buffer-bytes");
            }
            final int startup = (int)r.integer("limits.startup-packets-per-second", 1, 10_000_000,
                "write how many handshake packets per second, e.g. 5000");
            return new LimitsConfig(maxSessions, sessionBytes, flowBytes, startup);
        }

        private Map<String, AppConfig> apps(final AppConfig appDefaults)
        {
            // sound() guarantees apps is a section of sections.
            final Map<String, AppConfig> apps = new LinkedHashMap<>();
            for (final String name : merged.getObject(APPS).keySet())
            {
                final String quoted = ConfigUtil.joinPath(APPS, name);
                if (!APP_NAME.matcher(name).matches())
                {
                    r.problem(quoted, name, "app names are a-z, 0-9 and -, starting with a letter or digit",
                        "rename it, e.g. " + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
                    continue;
                }
                apps.put(name, app(name, merged.getConfig(quoted), quoted + ".", appDefaults));
            }
            return apps;
        }

        private AppConfig app(final String name, final Config config, final String prefix, final AppConfig base)
        {
            final ConfigReader a = new ConfigReader(config, prefix, problems);
            final List<String> keys = null == base || a.has("auth-keys") ? authKeys(a) : base.authKeys();
            final AccessRules publish = rules(a, "publish", null == base ? null : base.publish());
            final AccessRules play = rules(a, "play", null == base ? null : base.play());
            final Duration audio = null == base || a.has("audio-lifetime") ?
                a.duration("audio-lifetime", Duration.ofMillis(1)) : base.audioLifetime();
            final Duration video = null == base || a.has("video-lifetime") ?
                a.duration("video-lifetime", Duration.ofMillis(1)) : base.videoLifetime();
            return new AppConfig(name, keys, publish, play, audio, video);
        }

        private static List<String> authKeys(final ConfigReader a)
        {
            final List<String> keys = new ArrayList<>();
            for (final String key : a.strings("auth-keys"))
            {
                if (key.length() < 16)
                {
                    a.problem("auth-keys", "(hidden, " + key.length() + " characters)",
                        "shorter than 16 characters: easy to guess",
                        "use a long random key, e.g. from: openssl rand -hex 16");
                    continue;
                }
                keys.add(key);
            }
            return keys;
        }

        private static AccessRules rules(final ConfigReader a, final String action, final AccessRules base)
        {
            final List<Cidr> allow = null == base || a.has(action + ".allow") ?
                cidrs(a, action + ".allow") : base.allow();
            final List<Cidr> deny = null == base || a.has(action + ".deny") ?
                cidrs(a, action + ".deny") : base.deny();
            return new AccessRules(allow, deny);
        }

        private static List<Cidr> cidrs(final ConfigReader a, final String key)
        {
            final List<Cidr> out = new ArrayList<>();
            for (final String text : a.strings(key))
            {
                try
                {
                    out.add(Cidr.parse(text));
                }
                catch (final IllegalArgumentException ex)
                {
                    a.problem(key, text, "not a network: " + ex.getMessage(),
                        "write NETWORK/PREFIX, e.g. 10.0.0.0/8 or 2001:db8::/32, or a single address");
                }
            }
            return out;
        }

        private RecorderConfig recorder()
        {
            final boolean enabled = r.bool("recorder.enabled", false);
            final Path directory = path("recorder.directory", "recordings");
            if (enabled && Files.exists(directory))
            {
                if (!Files.isDirectory(directory))
                {
                    r.problem("recorder.directory", "exists and is not a directory",
                        "choose a directory (it is created if missing)");
                }
                else if (!Files.isWritable(directory))
                {
                    r.problem("recorder.directory", "is not writable by this user",
                        "chmod u+w " + directory + " or choose another directory");
                }
            }
            final List<String> streams = r.strings("recorder.streams");
            for (final String pattern : streams)
            {
                if (pattern.isBlank())
                {
                    r.problem("recorder.streams", pattern, "an empty pattern matches nothing", "write e.g. live/*");
                }
            }
            final RollCycle rollCycle = r.choice("recorder.roll-cycle", RollCycle.class, RollCycle.HOURLY);
            final Duration retention = r.duration("recorder.retention", Duration.ZERO);
            final long ringBytes = r.bytes("recorder.ring-size", 64 * 1024, 1L << 30);
            if (ringBytes >= 64 * 1024 && ringBytes <= 1L << 30 && Long.bitCount(ringBytes) != 1)
            {
                r.problem("recorder.ring-size", "must be a power of 2 (the ring buffer indexes with a mask)",
                    "write e.g. 8m or 16m");
            }
            return new RecorderConfig(enabled, directory, streams, rollCycle, retention, (int)ringBytes);
        }
    }
}
