package io.flowcast.cli;

import io.flowcast.crypto.KeyLog;
import io.flowcast.dissect.CaptureReader;
import io.flowcast.dissect.CapturedDatagram;
import io.flowcast.dissect.DissectionJson;
import io.flowcast.dissect.DissectionText;
import io.flowcast.dissect.Dissector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flowcast dissect CAPTURE [--keylog FILE] [--json]}: decrypts and decodes the RTMFP datagrams of a pcap or
 * pcapng capture, with the keys of a Flowcast key log ({@code FLOWCAST_KEYLOG}) for session packets.
 */
@Command(name = "dissect", mixinStandardHelpOptions = true,
    description = {
        "Decrypt and decode the RTMFP datagrams of a pcap/pcapng capture (UDP over IPv4/IPv6; Ethernet and Linux " +
            "loopback link types).",
        "Startup packets use the default key; session packets need a key log (written by the server when " +
            "FLOWCAST_KEYLOG=FILE is set): lines 'RTMFP_KEYS <session-id-hex> <aes-key-hex> <hmac-key-hex or ->'."
    })
final class DissectCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CAPTURE", description = "A .pcap or .pcapng file.")
    Path capture;

    @Option(names = "--keylog", paramLabel = "FILE", description = "Key log with the session keys.")
    Path keyLog;

    @Option(names = "--json", description = "One JSON object per datagram (summary to stderr).")
    boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<KeyLog.Entry> entries;
        try
        {
            entries = null == keyLog ? List.of() : readKeyLog(keyLog);
        }
        catch (final KeyLog.ParseException ex)
        {
            err.println("flowcast dissect: " + keyLog + ": " + ex.getMessage());
            return 1;
        }
        catch (final IOException ex)
        {
            err.println("flowcast dissect: cannot read key log " + describe(keyLog, ex));
            return 1;
        }

        final Dissector dissector = new Dissector(entries);
        final long skipped;
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            CapturedDatagram datagram;
            while (null != (datagram = reader.next()))
            {
                final Map<String, Object> result = dissector.dissect(datagram);
                out.print(json ? DissectionJson.toJson(result) + '\n' : DissectionText.format(result));
            }
            skipped = reader.skippedFrames();
        }
        catch (final IOException ex)
        {
            out.flush();
            err.println("flowcast dissect: cannot read capture " + describe(capture, ex));
            return 1;
        }
        final String summary = String.format("%d datagrams: %d decrypted, %d undecryptable; %d non-UDP frames skipped",
            dissector.datagrams(), dissector.decrypted(), dissector.undecryptable(), skipped);
        out.flush();
        if (json)
        {
            err.println("flowcast dissect: " + summary);
        }
        else
        {
            out.println("# " + summary);
            out.flush();
        }
        return 0;
    }

    private static List<KeyLog.Entry> readKeyLog(final Path path) throws IOException, KeyLog.ParseException
    {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1))
        {
            return KeyLog.parse(reader);
        }
    }

    private static String describe(final Path path, final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return path + ": no such file";
        }
        return path + ": " + (null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage());
    }
}
