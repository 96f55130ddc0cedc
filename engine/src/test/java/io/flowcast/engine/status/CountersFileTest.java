package io.flowcast.engine.status;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void anotherReaderSeesCountersLive() throws IOException
    {
        try (CountersFile owner = CountersFile.create(dir, 64);
             CountersFile reader = CountersFile.openReadOnly(dir))
        {
            final AtomicCounter datagramsIn = owner.manager().newCounter("datagrams in", 1);
            final AtomicCounter sessions = owner.manager().newCounter("open sessions", 2);
            datagramsIn.increment();
            datagramsIn.increment();
            sessions.set(7);
            owner.heartbeat(12345);

            final Map<String, Long> seen = new HashMap<>();
            reader.reader().forEach((value, id, label) -> seen.put(label, value));
            assertThat(seen).containsEntry("datagrams in", 2L).containsEntry("open sessions", 7L);
            assertThat(reader.heartbeatMs()).isEqualTo(12345);
            assertThat(reader.pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void missingFileSaysWhatToDo()
    {
        assertThatThrownBy(() -> CountersFile.openReadOnly(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("no counters file")
            .hasMessageContaining("--dir");
    }

    @Test
    void refusesAFileThatIsNotOurs() throws IOException
    {
        Files.write(dir.resolve(CountersFile.FILE_NAME), new byte[4096]);
        assertThatThrownBy(() -> CountersFile.openReadOnly(dir))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("not a Flowcast counters file");
    }
}
