package io.flowcast.config;

import java.time.Duration;
import java.util.List;

/**
 * One application (the first path segment of {@code rtmfp://host/app}).
 *
 * @param name          the app name.
 * @param authKeys      keys a client must present (any one); empty means none needed.
 * @param publish       who may publish.
 * @param play          who may play.
 * @param audioLifetime how long an audio message may wait to be sent before it is abandoned.
 * @param videoLifetime how long a video message may wait to be sent before it is abandoned.
 */
public record AppConfig(String name, List<String> authKeys, AccessRules publish, AccessRules play,
    Duration audioLifetime, Duration videoLifetime)
{
    /**
     * @param name          name.
     * @param authKeys      auth keys.
     * @param publish       publish rules.
     * @param play          play rules.
     * @param audioLifetime audio lifetime.
     * @param videoLifetime video lifetime.
     */
    public AppConfig
    {
        authKeys = List.copyOf(authKeys);
    }

    @Override
    public String toString()
    {
        // Never print the keys themselves.
        return "AppConfig[name=" + name + ", authKeys=" + authKeys.size() + " key(s), publish=" + publish +
            ", play=" + play + ", audioLifetime=" + audioLifetime + ", videoLifetime=" + videoLifetime + "]";
    }
}
