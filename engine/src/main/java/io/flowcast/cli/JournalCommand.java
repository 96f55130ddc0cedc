package io.flowcast.cli;

import io.flowcast.recorder.JournalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code flowcast journal}: list, export and follow recorded journals (see the recorder module).
 */
@Command(
    name = "journal",
    description = "List, export (FLV) and follow recorded stream journals.",
    subcommands = {
        JournalLsCommand.class,
        JournalExportCommand.class,
        JournalTailCommand.class,
        CommandLine.HelpCommand.class
    })
final class JournalCommand implements Runnable
{
    static
    {
        // Chronicle logs through SLF4J and the CLI ships no binding: keep SLF4J's "no providers" notice off the
        // journal commands' stderr, which is for one-line errors (the lead may choose a binding for the engine).
        if (null == System.getProperty("slf4j.internal.verbosity"))
        {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Parse a time given on the command line: epoch milliseconds, or an ISO-8601 instant
     * ({@code 2026-11-22T04:00:00Z}, {@code 2026-11-22T05:00:00+01:00}).
     *
     * @param option the option name, for the error.
     * @param text   what the person typed.
     * @return epoch ms.
     * @throws JournalException naming the option and the accepted forms.
     */
    static long parseTime(final String option, final String text)
    {
        final String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit))
        {
            try
            {
                return Long.parseLong(t);
            }
            catch (final NumberFormatException ex)
            {
                // falls through to the error below
            }
        }
        try
        {
            return Instant.parse(t).toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            try
            {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            }
            catch (final DateTimeParseException ex2)
            {
                throw new JournalException(option + " '" + text +
                    "' is not a time: give epoch milliseconds or ISO-8601 such as 2026-11-22T04:00:00Z");
            }
        }
    }

    /**
     * @param epochNs epoch nanoseconds.
     * @return ISO-8601 UTC with ms.
     */
    static String formatTime(final long epochNs)
    {
        final Instant instant = Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L));
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * @param bytes a size.
     * @return it in B, KB, MB or GB (decimal).
     */
    static String formatBytes(final long bytes)
    {
        if (bytes < 10_000)
        {
            return bytes + " B";
        }
        if (bytes < 10_000_000)
        {
            return String.format("%.1f KB", bytes / 1e3);
        }
        if (bytes < 10_000_000_000L)
        {
            return String.format("%.1f MB", bytes / 1e6);
        }
        return String.format("%.1f GB", bytes / 1e9);
    }
}
