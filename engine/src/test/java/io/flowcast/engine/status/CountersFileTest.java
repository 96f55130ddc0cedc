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
    void anotherReaderSeesTheErrorLog() throws IOException
    {
        try (CountersFile owner = CountersFile.create(dir, 64, 64 * 1024, () -> 42);
             CountersFile reader = CountersFile.openReadOnly(dir))
        {
            assertThat(reader.readErrors((count, first, last, trace) -> { })).isZero();
            final RuntimeException error = new RuntimeException("once");
            assertThat(owner.errorLog().record(error)).isTrue();
            assertThat(owner.errorLog().record(error)).isTrue();
            final StringBuilder seen = new StringBuilder();
            assertThat(reader.readErrors((count, first, last, trace) ->
                seen.append(count).append(' ').append(first).append(' ').append(last).append(' ')
                    .append(trace, 0, trace.indexOf('\n')))).isEqualTo(1);
            assertThat(seen.toString()).isEqualTo("2 42 42 java.lang.RuntimeException: once");
            assertThatThrownBy(reader::errorLog).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void inMemoryHasTheSameCountersAndErrorsButNoPath()
    {
        try (CountersFile memory = CountersFile.inMemory(16, 64 * 1024, () -> 7))
        {
            memory.manager().newCounter("x", 1).set(3);
            memory.errorLog().record(new IllegalStateException("kept"));
            assertThat(memory.path()).isNull();
            assertThat(memory.startTimeMs()).isEqualTo(7);
            assertThat(memory.readErrors((count, first, last, trace) -> assertThat(trace).contains("kept")))
                .isEqualTo(1);
        }
    }

    @Test
    void refusesALayoutOfAnotherVersion() throws IOException
    {
        try (CountersFile owner = CountersFile.create(dir, 16))
        {
            final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
            bytes.putInt(0, 1); // version 1 had no error log
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                owner.path(), java.nio.file.StandardOpenOption.WRITE))
            {
                channel.write(bytes, CountersFile.VERSION_OFFSET);
            }
            assertThatThrownBy(() -> CountersFile.openReadOnly(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a Flowcast counters file of layout version 2");
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
