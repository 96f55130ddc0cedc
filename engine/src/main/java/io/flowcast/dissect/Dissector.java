package io.flowcast.dissect;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.rtmfp.Address;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.FlowChunk;
import io.flowcast.codec.rtmfp.ForwardedIHelloChunk;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.PacketFragmentChunk;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RHelloCookieChangeChunk;
import io.flowcast.codec.rtmfp.RIKeyingChunk;
import io.flowcast.codec.rtmfp.RedirectChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.codec.tc.TcFlowMetadata;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.KeyLogDecryptor;
import io.flowcast.crypto.KeyingComponent;
import io.flowcast.crypto.Negotiation;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes captured RTMFP datagrams for people (the {@code flowcast dissect} command): unscrambles the session ID,
 * decrypts with the default key or a {@link KeyLog} entry, verifies integrity and decodes the header and every chunk
 * of RFC 7016 §2.3 into an ordered tree of plain values (maps, lists, strings, numbers, booleans) that
 * {@link DissectionJson} and {@link DissectionText} print.
 * <p>
 * Framing (HMAC length, session sequence numbers) is taken from the session's IIKeying/RIKeying negotiation (notes
 * §4.10) when the capture holds them, else probed by {@link KeyLogDecryptor}. Stateful across datagrams (the
 * negotiation), allocates freely: an offline tool, not the hot path.
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

    private static final String[] FRAGMENT_NAMES = { "whole", "begin", "end", "middle" };
    private static final String[] MODE_NAMES = { "forbidden", "initiator", "responder", "startup" };
    private static final int EPD_HOSTNAME = 0x00;
    private static final int EPD_ANCILLARY_DATA = 0x0a;
    private static final int EPD_FINGERPRINT = 0x0f;

    private final Map<Integer, List<KeyLog.Entry>> entriesBySession = new HashMap<>();
    private final KeyLogDecryptor decryptor;
    private final Map<String, Skic> initiatorComponents = new HashMap<>();
    private final Map<String, Framing> negotiated = new HashMap<>();

    private final PacketDecoder decoder = new PacketDecoder();
    private final IHelloChunk iHello = new IHelloChunk();
    private final ForwardedIHelloChunk forwardedIHello = new ForwardedIHelloChunk();
    private final RHelloChunk rHello = new RHelloChunk();
    private final RHelloCookieChangeChunk cookieChange = new RHelloCookieChangeChunk();
    private final RedirectChunk redirect = new RedirectChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckRangesChunk rangesAck = new DataAckRangesChunk();
    private final DataAckBitmapChunk bitmapAck = new DataAckBitmapChunk();
    private final FlowChunk flowChunk = new FlowChunk();
    private final PacketFragmentChunk fragment = new PacketFragmentChunk();
    private final KeyingComponent keying = new KeyingComponent();
    private final Certificate certificate = new Certificate();
    private final TcFlowMetadata tcMetadata = new TcFlowMetadata();
    private final OptionFlyweight options = new OptionFlyweight();

    private long firstTimestampNanos = Long.MIN_VALUE;
    private long datagrams;
    private long decrypted;
    private long undecryptable;

    /** HMAC/SSEQ flags of an IIKeying seen, waiting for its RIKeying. */
    private record Skic(int hmacFlags, long hmacLength, int sseqFlags, int initiatorSessionId)
    {
    }

    /** Negotiated framing of one direction of a session. */
    private record Framing(int hmacLength, boolean sequenceNumbers)
    {
    }

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
        final String sessionIdHex = String.format("%08x", sessionId);
        out.put("sessionId", sessionIdHex);

        final Framing framing = negotiated.get(directionKey(sessionId, src, dst));
        int length = KeyLogDecryptor.NO_KEY;
        String framingSource = FRAMING_PROBED;
        if (null != framing)
        {
            length = decryptor.decrypt(buffer, 0, payload.length, framing.hmacLength, framing.sequenceNumbers);
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
        decodePacket(buffer, decryptor.packetOffset(), length, sessionId, src, dst, out);
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

    private Map<String, Object> undecryptable(final Map<String, Object> out, final String reason)
    {
        undecryptable++;
        out.putIfAbsent("sessionId", null);
        out.put("key", KEY_NONE);
        out.put("verified", false);
        out.put("reason", reason);
        return out;
    }

    private void decodePacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int sessionId,
        final String src,
        final String dst,
        final Map<String, Object> out)
    {
        final int rc = decoder.wrap(buffer, offset, length);
        if (RtmfpError.OK != rc)
        {
            out.put("error", "bad packet header: " + RtmfpError.name(rc));
            out.put("chunks", List.of());
            return;
        }
        final Map<String, Object> header = new LinkedHashMap<>();
        header.put("flags", decoder.flags());
        header.put("TC", decoder.timeCritical());
        header.put("TCR", decoder.timeCriticalReverse());
        header.put("rsv", decoder.reserved());
        header.put("TS", decoder.hasTimestamp());
        header.put("TSE", decoder.hasTimestampEcho());
        header.put("mode", decoder.mode());
        header.put("mode_name", MODE_NAMES[decoder.mode() & 3]);
        if (decoder.hasTimestamp())
        {
            header.put("timestamp", decoder.timestamp());
        }
        if (decoder.hasTimestampEcho())
        {
            header.put("timestampEcho", decoder.timestampEcho());
        }
        header.put("header_len", decoder.headerLength());
        out.put("header", header);

        final List<Object> chunks = new ArrayList<>();
        int type;
        while (PacketDecoder.END != (type = decoder.next()))
        {
            final Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("type", type);
            chunk.put("name", chunkName(type));
            chunk.put("offset", decoder.chunkOffset() - offset);
            chunk.put("len", decoder.payloadLength());
            final Map<String, Object> fields = new LinkedHashMap<>();
            final int chunkRc = decodeChunk(type, fields, sessionId, src, dst);
            if (chunkRc < 0)
            {
                chunk.put("error", RtmfpError.name(chunkRc));
            }
            chunk.put("fields", fields);
            chunks.add(chunk);
        }
        header.put("padding_len", decoder.paddingLength());
        out.put("chunks", chunks);
    }

    private int decodeChunk(
        final int type, final Map<String, Object> fields, final int sessionId, final String src, final String dst)
    {
        final DirectBuffer b = decoder.buffer();
        switch (type)
        {
            case ChunkType.IHELLO:
            {
                final int rc = iHello.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("epdLength", iHello.epdLength());
                    fields.put("epd_hex", hex(b, iHello.epdOffset(), iHello.epdLength()));
                    fields.put("epd", epd(b, iHello.epdOffset(), iHello.epdLength()));
                    fields.put("tag_hex", hex(b, iHello.tagOffset(), iHello.tagLength()));
                }
                return rc;
            }
            case ChunkType.FORWARDED_IHELLO:
            {
                final int rc = forwardedIHello.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("epdLength", forwardedIHello.epdLength());
                    fields.put("epd_hex", hex(b, forwardedIHello.epdOffset(), forwardedIHello.epdLength()));
                    fields.put("epd", epd(b, forwardedIHello.epdOffset(), forwardedIHello.epdLength()));
                    fields.put("replyAddress", rtmfpAddress(b, forwardedIHello.replyAddressOffset(),
                        forwardedIHello.replyAddressOffset() + forwardedIHello.replyAddressLength()));
                    fields.put("tag_hex", hex(b, forwardedIHello.tagOffset(), forwardedIHello.tagLength()));
                }
                return rc;
            }
            case ChunkType.RHELLO:
            {
                final int rc = rHello.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("tagLength", rHello.tagEchoLength());
                    fields.put("tagEcho_hex", hex(b, rHello.tagEchoOffset(), rHello.tagEchoLength()));
                    fields.put("cookieLength", rHello.cookieLength());
                    fields.put("cookie_hex", hex(b, rHello.cookieOffset(), rHello.cookieLength()));
                    fields.put("responderCertificateLength", rHello.certificateLength());
                    putFingerprint(fields, "responderFingerprint_sha256",
                        b, rHello.certificateOffset(), rHello.certificateLength());
                }
                return rc;
            }
            case ChunkType.RHELLO_COOKIE_CHANGE:
            {
                final int rc = cookieChange.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("oldCookie_hex", hex(b, cookieChange.oldCookieOffset(), cookieChange.oldCookieLength()));
                    fields.put("newCookie_hex", hex(b, cookieChange.newCookieOffset(), cookieChange.newCookieLength()));
                }
                return rc;
            }
            case ChunkType.REDIRECT:
            {
                final int rc = redirect.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("tagEcho_hex", hex(b, redirect.tagEchoOffset(), redirect.tagEchoLength()));
                    final List<Object> addresses = new ArrayList<>();
                    final int limit = decoder.payloadOffset() + decoder.payloadLength();
                    for (int n = 0; n < redirect.addressCount() && RedirectChunk.ADDRESS == redirect.nextAddress();
                        n++)
                    {
                        addresses.add(rtmfpAddress(b, redirect.addressOffset(), limit));
                    }
                    fields.put("addresses", addresses);
                }
                return rc;
            }
            case ChunkType.IIKEYING:
            {
                final int rc = iiKeying.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("initiatorSessionID_hex", String.format("%08x", iiKeying.initiatorSessionId()));
                    fields.put("cookieLength", iiKeying.cookieLength());
                    fields.put("cookieEcho_hex", hex(b, iiKeying.cookieOffset(), iiKeying.cookieLength()));
                    fields.put("certLength", iiKeying.certificateLength());
                    putFingerprint(fields, "initiatorFingerprint_sha256",
                        b, iiKeying.certificateOffset(), iiKeying.certificateLength());
                    fields.put("skicLength", iiKeying.skicLength());
                    final Map<String, Object> skic = component(b, iiKeying.skicOffset(), iiKeying.skicLength());
                    fields.put("skic", skic);
                    fields.put("signatureLength", iiKeying.signatureLength());
                    if (skic.containsKey("hmacFlags"))
                    {
                        initiatorComponents.put(src + '>' + dst, new Skic(keying.hmacFlags(), keying.hmacLength(),
                            keying.sseqFlags(), iiKeying.initiatorSessionId()));
                    }
                }
                return rc;
            }
            case ChunkType.RIKEYING:
            {
                final int rc = riKeying.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("responderSessionID_hex", String.format("%08x", riKeying.responderSessionId()));
                    fields.put("skrcLength", riKeying.skrcLength());
                    final Map<String, Object> skrc = component(b, riKeying.skrcOffset(), riKeying.skrcLength());
                    fields.put("skrc", skrc);
                    fields.put("signatureLength", riKeying.signatureLength());
                    final Skic skic = initiatorComponents.get(dst + '>' + src);
                    if (null != skic && skrc.containsKey("hmacFlags"))
                    {
                        fields.put("negotiated", negotiate(skic, riKeying.responderSessionId(), src, dst));
                    }
                }
                return rc;
            }
            case ChunkType.USER_DATA:
            case ChunkType.NEXT_USER_DATA:
                return userData(b, fields);
            case ChunkType.DATA_ACK_RANGES:
            {
                final int rc = rangesAck.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", rangesAck.flowId());
                    fields.put("bufferBlocksAvailable", rangesAck.bufferBlocksAvailable());
                    fields.put("cumulativeAck", rangesAck.cumulativeAck());
                    final List<Object> ranges = new ArrayList<>();
                    while (DataAckRangesChunk.RANGE == rangesAck.nextRange())
                    {
                        ranges.add(range(rangesAck.rangeFrom(), rangesAck.rangeTo()));
                    }
                    fields.put("ranges", ranges);
                    if (rangesAck.truncated())
                    {
                        fields.put("truncated", true);
                    }
                }
                return rc;
            }
            case ChunkType.DATA_ACK_BITMAP:
            {
                final int rc = bitmapAck.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", bitmapAck.flowId());
                    fields.put("bufferBlocksAvailable", bitmapAck.bufferBlocksAvailable());
                    fields.put("cumulativeAck", bitmapAck.cumulativeAck());
                    fields.put("bitmap_hex", hex(b, bitmapAck.bitmapOffset(), bitmapAck.bitmapLength()));
                    final List<Object> ranges = new ArrayList<>();
                    while (DataAckBitmapChunk.RANGE == bitmapAck.nextRange())
                    {
                        ranges.add(range(bitmapAck.rangeFrom(), bitmapAck.rangeTo()));
                    }
                    fields.put("ranges", ranges);
                }
                return rc;
            }
            case ChunkType.BUFFER_PROBE:
            case ChunkType.FLOW_EXCEPTION_REPORT:
            {
                final int rc = flowChunk.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", flowChunk.flowId());
                    if (ChunkType.FLOW_EXCEPTION_REPORT == type)
                    {
                        fields.put("exception", flowChunk.exception());
                    }
                }
                return rc;
            }
            case ChunkType.PACKET_FRAGMENT:
            {
                final int rc = fragment.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("moreFragments", fragment.moreFragments());
                    fields.put("packetID", fragment.packetId());
                    fields.put("fragmentNumber", fragment.fragmentNumber());
                    fields.put("fragmentLength", fragment.fragmentLength());
                }
                return rc;
            }
            case ChunkType.PING:
            case ChunkType.PING_REPLY:
                fields.put("message_hex", hex(b, decoder.payloadOffset(), decoder.payloadLength()));
                return RtmfpError.OK;
            case ChunkType.ECN_REPORT_EXPERIMENTAL:
                if (decoder.payloadLength() >= 1)
                {
                    fields.put("ce_count_low8", b.getByte(decoder.payloadOffset()) & 0xFF);
                }
                return RtmfpError.OK;
            default:
                // Session Close / Close Ack and padding carry nothing; unknown types are listed with type and len.
                return RtmfpError.OK;
        }
    }

    private int userData(final DirectBuffer b, final Map<String, Object> fields)
    {
        final int rc = userData.wrap(decoder);
        if (RtmfpError.OK != rc)
        {
            return rc;
        }
        fields.put("flags", userData.flags());
        fields.put("OPT", userData.optionsPresent());
        fields.put("FRA", userData.fragmentControl());
        fields.put("fragment", FRAGMENT_NAMES[userData.fragmentControl() & 3]);
        fields.put("ABN", userData.abandon());
        fields.put("FIN", userData.fin());
        fields.put("flowID", userData.flowId());
        fields.put("sequenceNumber", userData.sequenceNumber());
        fields.put("fsnOffset", userData.fsnOffset());
        fields.put("forwardSequenceNumber", userData.forwardSequenceNumber());
        if (userData.isImplied())
        {
            fields.put("implied_from_previous_chunk", true);
        }
        if (userData.optionsPresent())
        {
            final List<Object> list = new ArrayList<>();
            userData.options(options);
            int next;
            while (OptionFlyweight.OPTION == (next = options.next()))
            {
                final Map<String, Object> option = new LinkedHashMap<>();
                option.put("type", options.type());
                option.put("value_hex", hex(b, options.valueOffset(), options.valueLength()));
                if (UserDataChunk.OPTION_PER_FLOW_METADATA == options.type())
                {
                    option.put("name", "userPerFlowMetadata");
                    if (0 == tcMetadata.wrap(b, options.valueOffset(), options.valueLength()))
                    {
                        final Map<String, Object> tc = new LinkedHashMap<>();
                        tc.put("signature", "TC");
                        tc.put("flags", tcMetadata.flags());
                        tc.put("receiveIntent", tcMetadata.networkOrder() ? "network" : "sequence");
                        tc.put("streamID", tcMetadata.streamId());
                        option.put("tc_metadata", tc);
                    }
                }
                else if (UserDataChunk.OPTION_RETURN_FLOW_ASSOCIATION == options.type())
                {
                    option.put("name", "returnFlowAssociation");
                    option.put("returnFlowID", userData.returnFlowId());
                }
                list.add(option);
            }
            if (next < 0)
            {
                fields.put("options_error", next);
            }
            fields.put("options", list);
            if (userData.hasUnknownMandatoryOption())
            {
                fields.put("unknownMandatoryOption", true);
            }
        }
        fields.put("userData_len", userData.userDataLength());
        return rc;
    }

    private Map<String, Object> negotiate(final Skic skic, final int responderSessionId, final String src,
        final String dst)
    {
        // src is the responder (it sent RIKeying), dst the initiator. Initiator->responder packets carry the
        // responder's session ID; responder->initiator packets carry the initiator's (RFC 7016 §2.2.2).
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("i2r", direction(skic.hmacFlags, skic.hmacLength, skic.sseqFlags,
            keying.hmacFlags(), keying.sseqFlags(), responderSessionId, dst, src));
        result.put("r2i", direction(keying.hmacFlags(), keying.hmacLength(), keying.sseqFlags(),
            skic.hmacFlags, skic.sseqFlags, skic.initiatorSessionId, src, dst));
        return result;
    }

    private Object direction(
        final int senderHmacFlags,
        final long senderHmacLength,
        final int senderSseqFlags,
        final int receiverHmacFlags,
        final int receiverSseqFlags,
        final int sessionId,
        final String sender,
        final String receiver)
    {
        // notes §4.10: the sender sends what it always sends or what the receiver requests, with its own length.
        final int hmac = Negotiation.negotiate(senderHmacFlags, receiverHmacFlags);
        final int sseq = Negotiation.negotiate(senderSseqFlags, receiverSseqFlags);
        if (hmac < 0 || sseq < 0)
        {
            return "keying fails";
        }
        final boolean hmacSent = (hmac & Negotiation.SEND) != 0;
        if (hmacSent && (senderHmacLength < DirectionKeys.MIN_HMAC_LENGTH ||
            senderHmacLength > DirectionKeys.MAX_HMAC_LENGTH))
        {
            return "bad HMAC length " + senderHmacLength;
        }
        final Framing framing = new Framing(hmacSent ? (int)senderHmacLength : 0, (sseq & Negotiation.SEND) != 0);
        negotiated.put(directionKey(sessionId, sender, receiver), framing);
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("sessionId", String.format("%08x", sessionId));
        result.put("hmacLength", framing.hmacLength);
        result.put("sequenceNumbers", framing.sequenceNumbers);
        return result;
    }

    private Map<String, Object> component(final DirectBuffer b, final int offset, final int length)
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        final int rc = keying.wrap(b, offset, length);
        if (KeyingComponent.OK != rc)
        {
            result.put("error", KeyingComponent.ERROR_MALFORMED == rc ? "malformed option list" : "bad option");
            return result;
        }
        if (keying.dhGroup() >= 0)
        {
            result.put("dhGroup", keying.dhGroup());
        }
        if (keying.groupSelect() >= 0)
        {
            result.put("dhGroupSelect", keying.groupSelect());
        }
        if (keying.publicKeyOffset() >= 0)
        {
            result.put("dhPublicKeyLength", keying.publicKeyLength());
        }
        if (keying.extraRandomnessOffset() >= 0)
        {
            result.put("extraRandomnessLength", keying.extraRandomnessLength());
        }
        result.put("hmacFlags", keying.hmacFlags());
        result.put("hmacLength", keying.hmacLength());
        result.put("sseqFlags", keying.sseqFlags());
        return result;
    }

    private void putFingerprint(
        final Map<String, Object> fields, final String name, final DirectBuffer b, final int offset, final int length)
    {
        if (length > 0 && Certificate.OK == certificate.wrap(b, offset, length))
        {
            fields.put(name, hex(certificate.fingerprint()));
        }
    }

    private List<Object> epd(final DirectBuffer b, final int offset, final int length)
    {
        final List<Object> list = new ArrayList<>();
        options.wrap(b, offset, offset + length, false);
        while (OptionFlyweight.OPTION == options.next())
        {
            final Map<String, Object> option = new LinkedHashMap<>();
            final long type = options.type();
            option.put("type", type);
            if (EPD_ANCILLARY_DATA == type)
            {
                option.put("name", "ancillaryData");
                option.put("value_text", text(b, options.valueOffset(), options.valueLength()));
            }
            else if (EPD_FINGERPRINT == type)
            {
                option.put("name", "fingerprint");
            }
            else if (EPD_HOSTNAME == type)
            {
                option.put("name", "hostname");
                option.put("value_text", text(b, options.valueOffset(), options.valueLength()));
            }
            option.put("value_hex", hex(b, options.valueOffset(), options.valueLength()));
            list.add(option);
        }
        return list;
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

    private static Map<String, Object> range(final long from, final long to)
    {
        final Map<String, Object> range = new LinkedHashMap<>();
        range.put("first", from);
        range.put("last", to);
        return range;
    }

    private static String rtmfpAddress(final DirectBuffer b, final int offset, final int limit)
    {
        final int length = Address.length(b, offset, limit);
        if (length < 0)
        {
            return "(bad address)";
        }
        final byte[] ip = new byte[Address.ipLength(b, offset)];
        b.getBytes(offset + Address.IP_OFFSET, ip);
        try
        {
            final String host = java.net.InetAddress.getByAddress(ip).getHostAddress();
            final String origin = switch (Address.origin(b, offset))
            {
                case Address.ORIGIN_LOCAL -> " (local)";
                case Address.ORIGIN_REFLEXIVE -> " (reflexive)";
                case Address.ORIGIN_RELAY -> " (relay)";
                default -> "";
            };
            return (ip.length == 16 ? "[" + host + "]" : host) + ':' + Address.port(b, offset) + origin;
        }
        catch (final java.net.UnknownHostException ex)
        {
            return "(bad address)";
        }
    }

    private static String directionKey(final int sessionId, final String src, final String dst)
    {
        return sessionId + " " + src + '>' + dst;
    }

    static String address(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + address.getPort();
    }

    private static String text(final DirectBuffer b, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        b.getBytes(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String hex(final DirectBuffer b, final int offset, final int length)
    {
        final byte[] bytes = new byte[Math.max(0, length)];
        if (length > 0)
        {
            b.getBytes(offset, bytes);
        }
        return hex(bytes);
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte v : bytes)
        {
            sb.append(Character.forDigit((v >> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return sb.toString();
    }
}
