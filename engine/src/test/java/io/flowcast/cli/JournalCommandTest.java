package io.flowcast.cli;

import io.flowcast.recorder.JournalWriter;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JournalCommandTest
{
    static final long T0_MS = 1_763_784_000_000L; // 2025-11-22T04:00:00Z

    @TempDir
    static Path dir;
    static Path journal;

    record Run(int exit, String out, String err)
    {
    }

    static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static void append(final JournalWriter writer, final String key, final int type, final long ts, final int length)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[length]);
        payload.putByte(0, (byte)(type == 9 ? 0x17 : 0xAF)); // key frame / AAC
        payload.putByte(1, (byte)1);
        writer.append(key, type, ts, (T0_MS + ts) * 1_000_000L, payload, 0, length);
    }

    @BeforeAll
    static void record()
    {
        journal = dir.resolve("journal");
        try (JournalWriter writer = new JournalWriter(journal, RollCycles.FAST_HOURLY, 0))
        {
            for (int i = 0; i < 50; i++)
            {
                append(writer, "live/cam", i % 2 == 0 ? 9 : 8, i * 20L, 100);
                if (i % 10 == 0)
                {
                    append(writer, "telemetry/t1", 18, i * 20L, 30);
                }
            }
        }
    }

    @Test
    void lsListsStreamsWithRangesCountsAndSizes()
    {
        final Run r = run("journal", "ls", journal.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("2 stream(s), 55 messages, 1 roll file(s)")
            .contains("live/cam").contains("telemetry/t1")
            .contains("2025-11-22T04:00:00Z").contains("2025-11-22T04:00:00.980Z")
            .contains("0-980");
        final String camLine = r.out().lines().filter(l -> l.startsWith("live/cam")).findFirst().orElseThrow();
        assertThat(camLine.split("\\s+")).containsSubsequence("25", "25", "0", "0", "5000");
    }

    @Test
    void exportWritesAnFlvOfTheStream() throws Exception
    {
        final Path out = dir.resolve("cam.flv");
        final Run r = run("journal", "export", journal.toString(), "--stream", "live/cam",
            "--from", "2025-11-22T04:00:00.200Z", "--to", String.valueOf(T0_MS + 399), "--out", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("10 tags (5 audio, 5 video, 0 data)");
        final byte[] flv = Files.readAllBytes(out);
        assertThat(new String(flv, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("FLV");
        assertThat(flv.length).isEqualTo(13 + 10 * (11 + 100 + 4));
    }

    @Test
    void errorsAreOneClearLineAndNonZero() throws Exception
    {
        final Path out = dir.resolve("none.flv");
        Run r = run("journal", "export", journal.toString(), "--stream", "live/nope", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("flowcast journal export: no stream 'live/nope' in " + journal +
            "; known streams: live/cam, telemetry/t1");
        assertThat(out).doesNotExist();

        r = run("journal", "ls", dir.resolve("missing").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(
            "flowcast journal ls: journal directory " + dir.resolve("missing") + " does not exist");

        final Path empty = Files.createDirectories(dir.resolve("empty"));
        r = run("journal", "tail", empty.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not a journal").hasLineCount(1);

        r = run("journal", "export", journal.toString(), "--stream", "live/cam", "--from", "yesterday",
            "--out", out.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--from 'yesterday' is not a time").hasLineCount(1);
    }

    @Test
    void tailPrintsRecordedMessagesThenStops()
    {
        final Run r = run("journal", "tail", journal.toString(), "--from-start", "--stream", "telemetry/*",
            "--max", "3");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(3).allMatch(l -> l.contains("telemetry/t1 data"));
        assertThat(r.out()).startsWith("2025-11-22T04:00:00Z telemetry/t1 data ts=0 len=30");
    }

    @Tag("slow")
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void tailFollowsNewMessages() throws Exception
    {
        final Path live = dir.resolve("live");
        try (JournalWriter writer = new JournalWriter(live, RollCycles.FAST_HOURLY, 0))
        {
            append(writer, "live/old", 8, 0, 10);
            final CompletableFuture<Run> tail = CompletableFuture.supplyAsync(
                () -> run("journal", "tail", live.toString(), "--max", "2", "--timeout", "15"));
            // the tail starts at the end: keep appending until it has seen two new messages
            for (int i = 1; !tail.isDone() && i < 1_000; i++)
            {
                append(writer, "live/new", 9, i, 10);
                Thread.sleep(20);
            }
            final Run r = tail.get(15, TimeUnit.SECONDS);
            assertThat(r.exit()).isZero();
            assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.contains("live/new video"));
        }
    }
}
