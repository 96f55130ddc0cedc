package io.flowcast.config;

import java.util.Map;

/**
 * The whole, validated Flowcast configuration. Immutable; built only by {@link ConfigLoader}.
 *
 * @param rtmfp     the RTMFP listener.
 * @param threading agent threading.
 * @param crypto    RFC 7425 crypto requirements.
 * @param identity  the server identity key file.
 * @param limits      resource limits.
 * @param appDefaults the settings of an app not listed in {@code apps} (named {@code *}).
 * @param apps        applications with their own settings, by name, in file order.
 * @param rtmp      the RTMP listener.
 * @param recorder  stream recording.
 * @param logging   logging.
 */
public record FlowcastConfig(
    RtmfpConfig rtmfp,
    ThreadingConfig threading,
    CryptoConfig crypto,
    IdentityConfig identity,
    LimitsConfig limits,
    AppConfig appDefaults,
    Map<String, AppConfig> apps,
    RtmpConfig rtmp,
    RecorderConfig recorder,
    LoggingConfig logging,
    FlowsConfig flows)
{
    /**
     * @param rtmfp     rtmfp.
     * @param threading threading.
     * @param crypto    crypto.
     * @param identity  identity.
     * @param limits    limits.
     * @param appDefaults app defaults.
     * @param apps      apps.
     * @param rtmp      rtmp.
     * @param recorder  recorder.
     * @param logging   logging.
     * @param flows     flows.
     */
    public FlowcastConfig
    {
        apps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(apps));
    }

    /**
     * @param name an app name from a connect URI.
     * @return its settings: its own when listed in {@code apps}, otherwise {@link #appDefaults()}.
     */
    public AppConfig app(final String name)
    {
        final AppConfig app = apps.get(name);
        return null != app ? app : appDefaults;
    }
}
