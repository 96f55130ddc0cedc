package io.flowcast.dissect;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.KeyLogDecryptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.flowcast.dissect.FieldValues.address;
import static io.flowcast.dissect.FieldValues.sessionIdHex;

/**
 * Decodes captured RTMFP datagrams for people (the {@code flowcast dissect} command): unscrambles the session ID,
 * decrypts with the default key or a {@link KeyLog} entry, verifies integrity and decodes the header and every chunk
 * of RFC 7016 §2.3 into an ordered tree of plain values (maps, lists, strings, numbers, booleans) that
 * {@link DissectionJson} and {@link DissectionText} print.
 * <p>
 * Framing (HMAC length, session sequence numbers) is taken from the session's IIKeying/RIKeying negotiation (notes
 * §4.10) when the capture holds them, else probed by {@link KeyLogDecryptor}. Stateful across datagrams (the
 * negotiation), allocates freely: an offline tool, not the hot path.
 * <p>
 * This class is the datagram layer (RFC 7016 §2.2.2, §2.2.3); {@link PacketDissector} describes the packet and its
 * chunks, {@link StartupChunkDissector} the startup chunks, {@link FramingNegotiation} keeps what keying negotiated.
 */
public final class Dissector
{
    /** {@code key}: decrypted with the default session key. */
    public static final String KEY_DEFAULT = "default";
    /** {@code key}: decrypted with a key-log entry. */
    public static final String KEY_SESSION = "session";
    /** {@code key}: no key verified. */
    public static final String KEY_NONE = "none";
    /** {@code framing}: HMAC and sequence-number use came from the session's keying chunks. */
    public static final String FRAMING_NEGOTIATED = "negotiated";
    /** {@code framing}: found by trying HMAC lengths and with/without sequence numbers. */
    public static final String FRAMING_PROBED = "probed";

    private final Map<Integer, List<KeyLog.Entry>> entriesBySession = new HashMap<>();
    private final KeyLogDecryptor decryptor;
    private final FramingNegotiation negotiation = new FramingNegotiation();
    private final PacketDissector packet = new PacketDissector(new StartupChunkDissector(negotiation));

    private long firstTimestampNanos = Long.MIN_VALUE;
    private long datagrams;
    private long decrypted;
    private long undecryptable;

    /**
     * @param entries key-log entries (may be empty: only default-key datagrams then decrypt).
     */
    public Dissector(final List<KeyLog.Entry> entries)
    {
        for (final KeyLog.Entry e : entries)
        {
            entriesBySession.computeIfAbsent(e.sessionId(), (k) -> new ArrayList<>()).add(e);
        }
        decryptor = new KeyLogDecryptor(entries);
    }

    /**
     * Dissect one datagram (in capture order: keying chunks seen earlier set the framing of later datagrams).
     *
     * @param datagram from a {@link CaptureReader}.
     * @return ordered fields: {@code i}, {@code frame}, {@code t}, {@code src}, {@code dst}, {@code len},
     * {@code sessionId}, {@code key}, {@code verified}, then integrity, {@code header} and {@code chunks} when
     * decrypted, or {@code reason} when not.
     */
    public Map<String, Object> dissect(final CapturedDatagram datagram)
    {
        datagrams++;
        if (Long.MIN_VALUE == firstTimestampNanos)
        {
            firstTimestampNanos = datagram.timestampNanos();
        }
        final byte[] payload = datagram.payload();
        final String src = address(datagram.source());
        final String dst = address(datagram.destination());
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("i", datagram.index());
        out.put("frame", datagram.frame());
        out.put("t", Math.round((datagram.timestampNanos() - firstTimestampNanos) / 1e3) / 1e6);
        out.put("src", src);
        out.put("dst", dst);
        out.put("len", payload.length);
        if (datagram.truncated())
        {
            out.put("truncated", true);
        }

        final UnsafeBuffer buffer = new UnsafeBuffer(payload.clone());
        if (payload.length < Multiplex.SESSION_ID_LENGTH)
        {
            return undecryptable(out, "shorter than a scrambled session ID (" + payload.length + " bytes)");
        }
        final int sessionId = (int)Multiplex.sessionId(buffer, 0, payload.length);
        final String sessionIdHex = sessionIdHex(sessionId);
        out.put("sessionId", sessionIdHex);

        final FramingNegotiation.Framing framing = negotiation.framing(sessionId, src, dst);
        int length = KeyLogDecryptor.NO_KEY;
        String framingSource = FRAMING_PROBED;
        if (null != framing)
        {
            length = decryptor.decrypt(buffer, 0, payload.length, framing.hmacLength(), framing.sequenceNumbers());
            framingSource = FRAMING_NEGOTIATED;
        }
        if (length < 0)
        {
            length = decryptor.decrypt(buffer, 0, payload.length);
            framingSource = FRAMING_PROBED;
        }
        if (KeyLogDecryptor.TOO_SHORT == length)
        {
            return undecryptable(out, "too short for an encrypted packet (" + payload.length + " bytes)");
        }
        if (length < 0)
        {
            final int lines = entriesBySession.getOrDefault(sessionId, List.of()).size();
            return undecryptable(out, 0 == lines ?
                "no key-log line for session " + sessionIdHex + " and the default key does not verify" :
                "none of the " + lines + " key-log line(s) for session " + sessionIdHex +
                " verifies, nor the default key");
        }

        decrypted++;
        final KeyLog.Entry entry = decryptor.entry();
        out.put("key", null == entry ? KEY_DEFAULT : KEY_SESSION);
        out.put("verified", true);
        if (null != entry)
        {
            out.put("keyLine", entry.lineNumber());
            out.put("framing", framingSource);
        }
        out.put("integrity", 0 == decryptor.hmacLength() ? "checksum" : "hmac");
        if (0 != decryptor.hmacLength())
        {
            out.put("hmacLength", decryptor.hmacLength());
        }
        if (decryptor.sequenceNumbers())
        {
            out.put("sessionSequenceNumber", decryptor.sequenceNumber());
        }
        if (!decryptor.plausible())
        {
            out.put("warning", "verified, but not a well-formed RTMFP packet under any framing");
        }
        packet.dissect(buffer, decryptor.packetOffset(), length, src, dst, out);
        return out;
    }

    /**
     * @return datagrams dissected so far.
     */
    public long datagrams()
    {
        return datagrams;
    }

    /**
     * @return datagrams that verified with some key.
     */
    public long decrypted()
    {
        return decrypted;
    }

    /**
     * @return datagrams no key verified.
     */
    public long undecryptable()
    {
        return undecryptable;
    }

    /**
     * @param type chunk type code.
     * @return its name as in the headings of RFC 7016 §2.3 (and the golden session's records).
     */
    public static String chunkName(final int type)
    {
        return switch (type)
        {
            case ChunkType.PACKET_FRAGMENT -> "Packet Fragment";
            case ChunkType.IHELLO -> "IHello";
            case ChunkType.FORWARDED_IHELLO -> "Forwarded IHello";
            case ChunkType.RHELLO -> "RHello";
            case ChunkType.REDIRECT -> "Redirect";
            case ChunkType.RHELLO_COOKIE_CHANGE -> "RHello Cookie Change";
            case ChunkType.IIKEYING -> "IIKeying";
            case ChunkType.RIKEYING -> "RIKeying";
            case ChunkType.PING -> "Ping";
            case ChunkType.PING_REPLY -> "Ping Reply";
            case ChunkType.USER_DATA -> "User Data";
            case ChunkType.NEXT_USER_DATA -> "Next User Data";
            case ChunkType.DATA_ACK_BITMAP -> "Data Ack Bitmap";
            case ChunkType.DATA_ACK_RANGES -> "Data Ack Ranges";
            case ChunkType.BUFFER_PROBE -> "Buffer Probe";
            case ChunkType.FLOW_EXCEPTION_REPORT -> "Flow Exception Report";
            case ChunkType.SESSION_CLOSE_REQUEST -> "Session Close Request";
            case ChunkType.SESSION_CLOSE_ACK -> "Session Close Ack";
            case ChunkType.PADDING_00, ChunkType.PADDING_FF -> "Padding";
            case ChunkType.ECN_REPORT_EXPERIMENTAL -> "ECN Report (experimental, rtmfp-cpp)";
            default -> "Unknown";
        };
    }

    private Map<String, Object> undecryptable(final Map<String, Object> out, final String reason)
    {
        undecryptable++;
        out.putIfAbsent("sessionId", null);
        out.put("key", KEY_NONE);
        out.put("verified", false);
        out.put("reason", reason);
        return out;
    }
}
