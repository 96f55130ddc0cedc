package io.flowcast.recorder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer process killed with SIGKILL mid-recording: the journal opens, every message the child reported as
 * appended is readable in order, and a new writer appends after them.
 */
@Tag("slow")
class JournalCrashTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void everyMessageAppendedBeforeAKillIsReadableAndTheNextRunAppendsAfterIt() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        final String flags = System.getProperty("flowcast.jvm.flags", "");
        command.addAll(Arrays.asList(flags.trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
            CrashingJournalWriter.class.getName(), dir.toString(), "15000"));
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long reported = 0;
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (reported < 20_000 && null != (line = lines.readLine()))
            {
                reported = Long.parseLong(line.trim());
            }
            child.destroyForcibly(); // SIGKILL, mid-batch
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).as("the child appended before it was killed").isGreaterThanOrEqualTo(20_000);

        final long[] count = {0};
        try (JournalReader reader = JournalReader.open(dir))
        {
            while (reader.next(m ->
            {
                assertThat(m.buffer().getLong(m.payloadOffset())).isEqualTo(count[0]);
                assertThat(m.mediaTimestamp()).isEqualTo(count[0]);
                count[0]++;
            }))
            {
                // read all
            }
        }
        assertThat(count[0]).isGreaterThanOrEqualTo(reported);

        // the next run records as the server does: through the ring and the recorder agent
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        payload.putLong(0, count[0]);
        final Recorder recorder = Recorder.create(RecorderSettings.recordAll(dir), RecorderCounters.inMemory());
        final int stream = recorder.publisher().registerStream("crash/test");
        assertThat(recorder.publisher().offer(stream, 9, count[0], payload, 0, 16)).isTrue();
        while (recorder.agent().doWork() > 0)
        {
            // append
        }
        recorder.agent().onClose();
        final long[] again = {0};
        try (JournalReader reader = JournalReader.open(dir))
        {
            while (reader.next(m ->
            {
                assertThat(m.buffer().getLong(m.payloadOffset())).isEqualTo(again[0]);
                again[0]++;
            }))
            {
                // read all
            }
        }
        assertThat(again[0]).isEqualTo(count[0] + 1);
    }
}
