package io.flowcast.engine.server;

import io.flowcast.config.LogLevel;
import io.flowcast.config.LoggingConfig;
import io.flowcast.crypto.SessionKeying;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code logging.level} and {@code logging.file}, applied by the server to the io.flowcast loggers while it runs.
 */
@Tag("slow")
@Timeout(30)
class ServerLoggingTest
{
    private static final Logger LOG = Logger.getLogger("io.flowcast.engine.server.test");

    @TempDir
    Path dir;

    private FlowcastServer launch(final LogLevel level, final Path file)
    {
        return FlowcastServer.launch(new ServerContext()
            .rtmfpBind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()))
            .logging(new LoggingConfig(level, Optional.ofNullable(file), Optional.empty())));
    }

    @Test
    void debugLevelWritesDebugRecordsAndErrorsToTheFileUntilClose() throws Exception
    {
        final Path file = dir.resolve("flowcast.log");
        try (FlowcastServer server = launch(LogLevel.DEBUG, file))
        {
            LOG.fine("a debug record");
            server.errorHandler().onError(new IllegalStateException("an agent bug"));
        }
        LOG.severe("after close");
        final String log = Files.readString(file);
        assertThat(log).contains("a debug record", "an agent bug").doesNotContain("after close");
        assertThat(ServerLogging.ROOT.getLevel()).isNull(); // put back
        assertThat(ServerLogging.ROOT.getUseParentHandlers()).isTrue();
    }

    @Test
    void errorLevelDropsInfoAndKeepsErrors() throws Exception
    {
        final Path file = dir.resolve("errors.log");
        try (FlowcastServer server = launch(LogLevel.ERROR, file))
        {
            LOG.info("an info record");
            LOG.warning("a warning");
            LOG.severe("an error record");
        }
        assertThat(Files.readString(file)).contains("an error record").doesNotContain("an info record", "a warning");
    }

    @Test
    void anUnwritableFileFailsTheLaunchNamingTheKey()
    {
        assertThatThrownBy(() -> launch(LogLevel.INFO, dir.resolve("no-such-dir").resolve("f.log")))
            .hasMessageStartingWith("logging.file = " + dir.resolve("no-such-dir").resolve("f.log") + ": cannot open");
        assertThat(ServerLogging.ROOT.getHandlers()).isEmpty();
    }
}
