package io.flowcast.engine;

import io.flowcast.config.RecorderConfig;
import io.flowcast.recorder.RecorderSettings;
import io.flowcast.recorder.StreamPattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the validated {@code recorder} section of the configuration into the recorder module's settings: the engine
 * is the only module that knows both.
 */
public final class RecorderSettingsMapping
{
    private RecorderSettingsMapping()
    {
    }

    /**
     * @param config the {@code recorder} section.
     * @return the recorder's settings ({@link RecorderSettings#disabled()} when recording is off).
     */
    public static RecorderSettings settings(final RecorderConfig config)
    {
        if (!config.enabled())
        {
            return RecorderSettings.disabled();
        }
        final List<StreamPattern> patterns = new ArrayList<>(config.streams().size());
        for (final String pattern : config.streams())
        {
            patterns.add(StreamPattern.of(pattern));
        }
        return new RecorderSettings(
            true, config.directory(), patterns, config.rollCycle().name(), config.retention(), config.ringBytes());
    }
}
