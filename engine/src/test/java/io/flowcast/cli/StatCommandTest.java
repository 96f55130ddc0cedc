package io.flowcast.cli;

import io.flowcast.engine.status.CountersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StatCommandTest
{
    @TempDir
    Path dir;

    @Test
    void printsEveryCounterWithItsLabel() throws Exception
    {
        try (CountersFile owner = CountersFile.create(dir, 16))
        {
            owner.manager().newCounter("bytes in", 1).set(1_234_567);
            owner.heartbeat(System.currentTimeMillis());
            try (CountersFile reader = CountersFile.openReadOnly(dir))
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                StatCommand.print(reader, new PrintStream(bytes, true, StandardCharsets.UTF_8));
                assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains("1,234,567 - bytes in")
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains("ms ago");
            }
        }
    }

    @Test
    void missingFileIsOneClearLine()
    {
        final int exit = FlowcastCli.commandLine().execute("stat", "--dir", dir.toString());
        assertThat(exit).isEqualTo(1);
    }
}
