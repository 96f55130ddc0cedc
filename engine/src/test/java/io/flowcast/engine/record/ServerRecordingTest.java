package io.flowcast.engine.record;

import io.flowcast.cli.ConfigOptions;
import io.flowcast.config.ConfigResult;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.LocalMachine;
import io.flowcast.engine.status.CountersFile;
import io.flowcast.recorder.JournalIndex;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --record DIR} records every stream (even when the configuration file narrows {@code recorder.streams}),
 * and {@link ServerRecording} built from that configuration records through its tap, with its counters in the
 * server's counters file, and closes cleanly (what was handed over is in the journal).
 */
class ServerRecordingTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void recordFlagRecordsEveryStreamIntoTheDirectory() throws Exception
    {
        final Path file = dir.resolve("flowcast.conf");
        Files.writeString(file, "recorder { streams = [\"live/only\"] }\n");
        final Path journal = dir.resolve("rec");
        final ConfigOptions options = new ConfigOptions();
        new CommandLine(options).parseArgs("--config", file.toString(), "--record", journal.toString());
        final ConfigResult result = options.load(options.configFile(), Map.of(), LocalMachine.probe());
        assertThat(result.isValid()).as(result.problems().toString()).isTrue();
        final FlowcastConfig config = result.config();
        assertThat(config.recorder().enabled()).isTrue();
        assertThat(config.recorder().directory()).isEqualTo(journal);
        assertThat(config.recorder().streams()).containsExactly("*");

        try (CountersFile counters = CountersFile.create(dir.resolve("counters"), 64))
        {
            try (ServerRecording recording = ServerRecording.start(config, counters.manager()))
            {
                final RecordingTap tap = recording.tap();
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
                tap.onPublish(0, "live", "only");
                tap.onPublish(1, "other", "stream");
                for (int i = 0; i < 1_000; i++)
                {
                    tap.onMessage(i % 2, 9, i, payload, 0, 100);
                }
                tap.onUnpublish(0);
                tap.onUnpublish(1);
            }
            final List<String> labels = new ArrayList<>();
            counters.reader().forEach((value, id, label) -> labels.add(label + " = " + value));
            assertThat(labels).contains(
                "recorder: messages dropped (ring full) = 0",
                "recorder: messages recorded = 1000",
                "recorder: payload bytes recorded = 100000",
                "recorder: agent errors = 0");
        }
        final JournalIndex index = JournalIndex.scan(journal);
        assertThat(index.streams()).extracting(JournalIndex.StreamSummary::key)
            .containsExactlyInAnyOrder("live/only", "other/stream");
        assertThat(index.messages()).isEqualTo(1_000);
    }
}
