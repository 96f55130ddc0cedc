package io.flowcast.cli;

import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import io.flowcast.engine.status.CountersFile;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    void printsEachDistinctErrorWithItsCountAndTimes() throws Exception
    {
        final long[] nowMs = {1_700_000_000_000L};
        try (CountersFile owner = CountersFile.create(dir, 16, 64 * 1024, () -> nowMs[0]))
        {
            final IllegalStateException bug = new IllegalStateException("a callback bug");
            owner.errorLog().record(bug);
            nowMs[0] += 1_000;
            owner.errorLog().record(bug);
            owner.errorLog().record(new IllegalArgumentException("another"));
            try (CountersFile reader = CountersFile.openReadOnly(dir))
            {
                final String text = print(reader, false);
                assertThat(text).contains("errors: 2 distinct, 3 in all\n",
                    "       2 x  first 2023-11-14T22:13:20Z  last 2023-11-14T22:13:21Z  " +
                        "java.lang.IllegalStateException: a callback bug\n",
                    "       1 x  first 2023-11-14T22:13:21Z  last 2023-11-14T22:13:21Z  " +
                        "java.lang.IllegalArgumentException: another\n")
                    .doesNotContain("\tat ");
                assertThat(print(reader, true)).contains("\tat io.flowcast.cli.StatCommandTest");
            }
        }
    }

    @Tag("slow")
    @Test
    void showsWhatARunningServersAgentThrew() throws Exception
    {
        final AtomicBoolean thrown = new AtomicBoolean();
        try (FlowcastServer server = FlowcastServer.launch(new ServerContext()
            .rtmfpBind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()))
            .countersDirectory(dir)
            .agent(new Agent()
            {
                public int doWork()
                {
                    if (thrown.compareAndSet(false, true))
                    {
                        throw new IllegalStateException("thrown by an agent");
                    }
                    return 0;
                }

                public String roleName()
                {
                    return "test";
                }
            }));
             CountersFile reader = CountersFile.openReadOnly(dir))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.errorCount() < 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertThat(print(reader, false)).contains("1 - errors\n", "errors: 1 distinct, 1 in all\n",
                "java.lang.IllegalStateException: thrown by an agent");
        }
    }

    @Test
    void noErrorsSaysSo() throws Exception
    {
        try (CountersFile owner = CountersFile.create(dir, 16); CountersFile reader = CountersFile.openReadOnly(dir))
        {
            assertThat(print(reader, false)).contains("errors: none\n");
        }
    }

    private static String print(final CountersFile file, final boolean stackTraces)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatCommand.print(file, new PrintStream(bytes, true, StandardCharsets.UTF_8), stackTraces);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingFileIsOneClearLine()
    {
        final int exit = FlowcastCli.commandLine().execute("stat", "--dir", dir.toString());
        assertThat(exit).isEqualTo(1);
    }
}
