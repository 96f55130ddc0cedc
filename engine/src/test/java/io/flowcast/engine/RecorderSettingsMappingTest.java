package io.flowcast.engine;

import io.flowcast.config.RecorderConfig;
import io.flowcast.config.RollCycle;
import io.flowcast.recorder.RecorderSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecorderSettingsMappingTest
{
    @Test
    void configAndRecorderAcceptTheSameRollCycles()
    {
        assertThat(Arrays.stream(RollCycle.values()).map(Enum::name).toList())
            .containsExactlyInAnyOrderElementsOf(RecorderSettings.ROLL_CYCLE_NAMES);
        for (final RollCycle cycle : RollCycle.values())
        {
            assertThat(RecorderSettings.rollCycle(cycle.name())).isNotNull();
        }
    }

    @Test
    void mapsEveryField()
    {
        final RecorderSettings settings = RecorderSettingsMapping.settings(new RecorderConfig(
            true, Path.of("rec"), List.of("live/*", "vod/**"), RollCycle.DAILY, Duration.ofDays(2), 1 << 20));

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.directory()).isEqualTo(Path.of("rec"));
        assertThat(settings.rollCycle()).isEqualTo("DAILY");
        assertThat(settings.retentionCycles()).isEqualTo(2);
        assertThat(settings.ringBytes()).isEqualTo(1 << 20);
        assertThat(settings.records("live/cam1")).isTrue();
        assertThat(settings.records("vod/a/b")).isTrue();
        assertThat(settings.records("other/cam1")).isFalse();
    }

    @Test
    void disabledRecordsNothing()
    {
        final RecorderSettings settings = RecorderSettingsMapping.settings(new RecorderConfig(
            false, Path.of("rec"), List.of("*"), RollCycle.HOURLY, Duration.ZERO, 1 << 20));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.records("live/cam1")).isFalse();
    }
}
