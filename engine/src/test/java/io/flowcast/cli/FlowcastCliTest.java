package io.flowcast.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class FlowcastCliTest
{
    @Test
    void helpListsEverySubcommand()
    {
        final StringWriter out = new StringWriter();
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("version", "server");
    }

    @Test
    void unknownSubcommandIsAUsageError()
    {
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("no-such-command")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no-such-command");
    }

    @Test
    void versionComesFromTheBuild()
    {
        assertThat(FlowcastVersion.version()).isNotEqualTo("unknown").contains(".");
    }
}
