package io.flowcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.crypto.KeyLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

class DissectCommandTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HEADER_FIELDS =
        { "flags", "TC", "TCR", "rsv", "TS", "TSE", "mode", "timestamp", "timestampEcho", "header_len", "padding_len" };
    private static final String[] CHUNK_FIELDS = {
        "flags", "OPT", "FRA", "fragment", "ABN", "FIN", "flowID", "sequenceNumber", "fsnOffset",
        "forwardSequenceNumber", "implied_from_previous_chunk", "userData_len",
        "bufferBlocksAvailable", "cumulativeAck", "ranges", "ce_count_low8",
        "epdLength", "epd_hex", "tag_hex", "tagLength", "tagEcho_hex", "cookieLength", "cookie_hex", "cookieEcho_hex",
        "certLength", "initiatorSessionID_hex", "responderSessionID_hex", "skrcLength",
        "responderFingerprint_sha256", "initiatorFingerprint_sha256" };

    @TempDir
    Path dir;

    /** Key log of the golden keys, one line per direction, in label order; returns label → line number. */
    private Map<String, Integer> writeGoldenKeyLog(final Path file, final String corruptLabel) throws Exception
    {
        final Map<String, Integer> lines = new HashMap<>();
        final StringBuilder log = new StringBuilder("# golden session keys\n");
        int line = 1;
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            for (final String direction : new String[]{ "i2r", "r2i" })
            {
                final JsonNode k = session.get("keys").get(direction);
                final byte[] aes = hex(k.get("aes128_cbc_key_hex").asText());
                final byte[] mac = hex(k.get("hmac_sha256_key_hex").asText());
                if (k.get("label").asText().equals(corruptLabel))
                {
                    aes[0] ^= 1;
                    mac[0] ^= 1;
                }
                log.append(KeyLog.line(
                    ByteBuffer.wrap(hex(k.get("packets_carry_session_id_hex").asText())).getInt(), aes, mac))
                    .append('\n');
                lines.put(k.get("label").asText(), ++line);
            }
        }
        Files.writeString(file, log);
        return lines;
    }

    private record Run(int exit, String out, String err)
    {
        List<JsonNode> json() throws Exception
        {
            final List<JsonNode> nodes = new ArrayList<>();
            for (final String line : out.split("\n"))
            {
                nodes.add(JSON.readTree(line));
            }
            return nodes;
        }
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlowcastCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String pcap()
    {
        return GoldenSession.shared("interop/golden-session.pcap").toString();
    }

    @Test
    void decodesEveryGoldenDatagramAsTheRecordSays() throws Exception
    {
        final Path keyLog = dir.resolve("keys.log");
        final Map<String, Integer> lineOf = writeGoldenKeyLog(keyLog, null);
        final Run run = run("dissect", pcap(), "--keylog", keyLog.toString(), "--json");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.err).contains("410 datagrams: 410 decrypted, 0 undecryptable; 0 non-UDP frames skipped");

        final List<JsonNode> actual = run.json();
        final List<JsonNode> expected = GoldenSession.datagrams();
        assertThat(actual).hasSize(GoldenSession.DATAGRAM_COUNT);
        int session = 0;
        for (int i = 0; i < expected.size(); i++)
        {
            final JsonNode e = expected.get(i);
            final JsonNode a = actual.get(i);
            final String at = "datagram " + i;
            assertThat(a.get("i").asInt()).as(at).isEqualTo(i);
            assertThat(a.get("src").asText()).as(at).isEqualTo(e.get("src").asText());
            assertThat(a.get("dst").asText()).as(at).isEqualTo(e.get("dst").asText());
            assertThat(a.get("len").asInt()).as(at).isEqualTo(e.get("len").asInt());
            assertThat(a.get("t").asDouble()).as(at).isEqualTo(e.get("t").asDouble());
            assertThat(a.get("sessionId").asText()).as(at).isEqualTo(e.get("session_id_hex").asText());
            assertThat(a.get("verified").asBoolean()).as(at).isTrue();
            assertThat(a.has("warning")).as(at).isFalse();
            final String keyUsed = e.get("key_used").asText();
            if ("default".equals(keyUsed))
            {
                assertThat(a.get("key").asText()).as(at).isEqualTo("default");
                assertThat(a.get("integrity").asText()).as(at).isEqualTo("checksum");
                assertThat(a.has("sessionSequenceNumber")).as(at).isFalse();
            }
            else
            {
                session++;
                assertThat(a.get("key").asText()).as(at).isEqualTo("session");
                assertThat(a.get("keyLine").asInt()).as(at).isEqualTo(lineOf.get(keyUsed));
                assertThat(a.get("framing").asText()).as(at).isEqualTo("negotiated");
                assertThat(a.get("integrity").asText()).as(at).isEqualTo("hmac");
                assertThat(a.get("hmacLength").asInt()).as(at).isEqualTo(16);
                assertThat(a.get("sessionSequenceNumber").asLong()).as(at)
                    .isEqualTo(e.get("session_sequence_number").asLong());
            }
            for (final String field : HEADER_FIELDS)
            {
                assertThat(a.get("header").get(field)).as(at + " header." + field)
                    .isEqualTo(e.get("header").get(field));
            }
            final JsonNode eChunks = e.get("chunks");
            final JsonNode aChunks = a.get("chunks");
            assertThat(aChunks.size()).as(at).isEqualTo(eChunks.size());
            for (int c = 0; c < eChunks.size(); c++)
            {
                final JsonNode ec = eChunks.get(c);
                final JsonNode ac = aChunks.get(c);
                final String chunkAt = at + " chunk " + c;
                assertThat(ac.get("type").asInt()).as(chunkAt).isEqualTo(Integer.decode(ec.get("type").asText()));
                assertThat(ac.get("name").asText()).as(chunkAt).isEqualTo(ec.get("name").asText());
                assertThat(ac.get("offset").asInt()).as(chunkAt).isEqualTo(ec.get("offset").asInt());
                assertThat(ac.get("len").asInt()).as(chunkAt).isEqualTo(ec.get("len").asInt());
                assertThat(ac.has("error")).as(chunkAt).isFalse();
                for (final String field : CHUNK_FIELDS)
                {
                    assertThat(ac.get("fields").get(field)).as(chunkAt + " " + field)
                        .isEqualTo(ec.get("fields").get(field));
                }
                final JsonNode eOptions = ec.get("fields").get("options");
                if (null != eOptions)
                {
                    final JsonNode aOptions = ac.get("fields").get("options");
                    int o = 0;
                    for (final JsonNode eo : eOptions)
                    {
                        if (eo.has("marker"))
                        {
                            continue;
                        }
                        final JsonNode ao = aOptions.get(o++);
                        assertThat(ao.get("type")).as(chunkAt).isEqualTo(eo.get("type"));
                        assertThat(ao.get("value_hex")).as(chunkAt).isEqualTo(eo.get("value_hex"));
                        if (eo.has("tc_metadata"))
                        {
                            assertThat(ao.get("tc_metadata").get("streamID"))
                                .isEqualTo(eo.get("tc_metadata").get("streamID"));
                        }
                    }
                    assertThat(aOptions.size()).as(chunkAt).isEqualTo(o);
                }
                final JsonNode eEpd = ec.get("fields").get("epd");
                if (null != eEpd)
                {
                    assertThat(ac.get("fields").get("epd").get(0).get("value_text"))
                        .isEqualTo(eEpd.get(0).get("value_text"));
                }
            }
        }
        assertThat(session).isEqualTo(GoldenSession.DATAGRAM_COUNT - 8);
    }

    @Test
    void reportsTheNegotiationOfEachGoldenSession() throws Exception
    {
        final Run run = run("dissect", pcap(), "--json");
        final List<JsonNode> negotiations = new ArrayList<>();
        for (final JsonNode datagram : run.json())
        {
            if (!datagram.has("chunks"))
            {
                continue;
            }
            for (final JsonNode chunk : datagram.get("chunks"))
            {
                if (0x78 == chunk.get("type").asInt())
                {
                    negotiations.add(chunk.get("fields").get("negotiated"));
                }
            }
        }
        assertThat(negotiations).hasSize(2);
        for (final JsonNode n : negotiations)
        {
            for (final String direction : new String[]{ "i2r", "r2i" })
            {
                assertThat(n.get(direction).get("hmacLength").asInt()).isEqualTo(16);
                assertThat(n.get(direction).get("sequenceNumbers").asBoolean()).isTrue();
            }
        }
        assertThat(negotiations.get(1).get("i2r").get("sessionId").asText()).isEqualTo("03000000");
        assertThat(negotiations.get(1).get("r2i").get("sessionId").asText()).isEqualTo("02000000");
    }

    @Test
    void withoutAKeyLogSessionDatagramsAreReportedUndecryptable() throws Exception
    {
        final Run run = run("dissect", pcap(), "--json");
        assertThat(run.exit).isZero();
        final List<JsonNode> actual = run.json();
        assertThat(actual).hasSize(GoldenSession.DATAGRAM_COUNT);
        int defaults = 0;
        for (final JsonNode a : actual)
        {
            if ("default".equals(a.get("key").asText()))
            {
                defaults++;
                assertThat(a.get("verified").asBoolean()).isTrue();
                assertThat(a.get("chunks").size()).isEqualTo(1);
            }
            else
            {
                assertThat(a.get("key").asText()).isEqualTo("none");
                assertThat(a.get("verified").asBoolean()).isFalse();
                assertThat(a.get("reason").asText()).contains("no key-log line for session " +
                    a.get("sessionId").asText());
                assertThat(a.has("chunks")).isFalse();
            }
        }
        assertThat(defaults).isEqualTo(8);
        assertThat(run.err).contains("410 datagrams: 8 decrypted, 402 undecryptable");
    }

    @Test
    void aWrongKeyVerifiesNoneOfItsDirection() throws Exception
    {
        final Path keyLog = dir.resolve("wrong.log");
        writeGoldenKeyLog(keyLog, "publisher:i2r");
        final Run run = run("dissect", pcap(), "--keylog", keyLog.toString(), "--json");
        assertThat(run.exit).isZero();
        final List<JsonNode> actual = run.json();
        final List<JsonNode> expected = GoldenSession.datagrams();
        int failed = 0;
        for (int i = 0; i < expected.size(); i++)
        {
            final boolean wrong = "publisher:i2r".equals(expected.get(i).get("key_used").asText());
            assertThat(actual.get(i).get("verified").asBoolean()).as("datagram %d", i).isEqualTo(!wrong);
            if (wrong)
            {
                failed++;
                assertThat(actual.get(i).get("key").asText()).isEqualTo("none");
                assertThat(actual.get(i).get("reason").asText()).contains("none of the 1 key-log line(s)");
            }
        }
        assertThat(failed).isEqualTo(130);
    }

    @Test
    void textOutputHasOneReadableBlockPerDatagram() throws Exception
    {
        final Path keyLog = dir.resolve("keys.log");
        writeGoldenKeyLog(keyLog, null);
        final Run run = run("dissect", pcap(), "--keylog", keyLog.toString());
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains(
            "#5 0.037764 127.0.0.1:44772 -> 127.0.0.1:21935 len 308 sid 02000000 key session(line 2) hmac16 sseq 0 " +
            "negotiated verified\n" +
            "    header flags=141 TC=true TCR=false rsv=0 TS=true TSE=true mode=1 mode_name=initiator timestamp=9 " +
            "timestampEcho=262 header_len=5 padding_len=11\n" +
            "    0x10 User Data @5 len 268: flags=128 OPT=true FRA=0 fragment=whole ABN=false FIN=false flowID=2 " +
            "sequenceNumber=1 fsnOffset=1 forwardSequenceNumber=0 options=[");
        assertThat(run.out).contains(
            "#1 0.000000 127.0.0.1:44772 -> 127.0.0.1:21935 len 68 sid 00000000 key default checksum verified\n");
        assertThat(run.out.lines().filter((l) -> l.startsWith("#") && !l.startsWith("# "))).hasSize(410);
        assertThat(run.out).endsWith("# 410 datagrams: 410 decrypted, 0 undecryptable; 0 non-UDP frames skipped\n");
    }

    @Test
    void errorsAreOneLineAndExitOne() throws Exception
    {
        final Run missing = run("dissect", dir.resolve("nope.pcap").toString());
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).isEqualTo(
            "flowcast dissect: cannot read capture " + dir.resolve("nope.pcap") + ": no such file\n");

        final Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not packets\n");
        final Run notCapture = run("dissect", text.toString());
        assertThat(notCapture.exit).isEqualTo(1);
        assertThat(notCapture.err).startsWith("flowcast dissect: cannot read capture " + text + ": ");
        assertThat(notCapture.err.lines()).hasSize(1);
        assertThat(notCapture.out).isEmpty();

        final Path badLog = dir.resolve("bad.log");
        Files.writeString(badLog, "# comment\nRTMFP_KEYS 0300 00112233445566778899aabbccddeeff -\n");
        final Run badKeyLog = run("dissect", pcap(), "--keylog", badLog.toString());
        assertThat(badKeyLog.exit).isEqualTo(1);
        assertThat(badKeyLog.err).isEqualTo("flowcast dissect: " + badLog +
            ": key log line 2: session ID must be 8 hex digits, found '0300'\n");
        assertThat(badKeyLog.out).isEmpty();

        final Run missingLog = run("dissect", pcap(), "--keylog", dir.resolve("none.log").toString());
        assertThat(missingLog.exit).isEqualTo(1);
        assertThat(missingLog.err).isEqualTo(
            "flowcast dissect: cannot read key log " + dir.resolve("none.log") + ": no such file\n");
    }
}
