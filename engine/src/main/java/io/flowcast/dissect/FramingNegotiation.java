package io.flowcast.dissect;

import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyingComponent;
import io.flowcast.crypto.Negotiation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The framing of each session direction as its IIKeying and RIKeying negotiated it (notes §4.10): whether packets
 * carry an HMAC and of what length, and whether they carry session sequence numbers. The dissector learns it from the
 * keying chunks in capture order and decrypts the session's later datagrams with it.
 */
final class FramingNegotiation
{
    /** Negotiated framing of one direction of a session. */
    record Framing(int hmacLength, boolean sequenceNumbers)
    {
    }

    /** HMAC/SSEQ flags of an IIKeying seen, waiting for its RIKeying. */
    private record Skic(int hmacFlags, long hmacLength, int sseqFlags, int initiatorSessionId)
    {
    }

    private final Map<String, Skic> initiatorComponents = new HashMap<>();
    private final Map<String, Framing> negotiated = new HashMap<>();

    /**
     * @param sessionId the session ID the packets carry.
     * @param src       sender.
     * @param dst       receiver.
     * @return the framing negotiated for packets from src to dst with that session ID, or null.
     */
    Framing framing(final int sessionId, final String src, final String dst)
    {
        return negotiated.get(directionKey(sessionId, src, dst));
    }

    /**
     * An IIKeying from src to dst, its SKIC wrapped in {@code skic}: keep its flags for the RIKeying.
     */
    void onIIKeying(final String src, final String dst, final KeyingComponent skic, final int initiatorSessionId)
    {
        initiatorComponents.put(src + '>' + dst,
            new Skic(skic.hmacFlags(), skic.hmacLength(), skic.sseqFlags(), initiatorSessionId));
    }

    /**
     * An RIKeying from src (the responder) to dst (the initiator), its SKRC wrapped in {@code skrc}: negotiate both
     * directions, when the IIKeying was seen.
     *
     * @return {@code i2r} and {@code r2i}: each the framing ({@code sessionId}, {@code hmacLength},
     * {@code sequenceNumbers}) or why keying fails; null when no IIKeying from dst to src was seen.
     */
    Map<String, Object> onRIKeying(
        final String src, final String dst, final KeyingComponent skrc, final int responderSessionId)
    {
        final Skic skic = initiatorComponents.get(dst + '>' + src);
        if (null == skic)
        {
            return null;
        }
        // Initiator->responder packets carry the responder's session ID; responder->initiator packets carry the
        // initiator's (RFC 7016 §2.2.2).
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("i2r", direction(skic.hmacFlags, skic.hmacLength, skic.sseqFlags,
            skrc.hmacFlags(), skrc.sseqFlags(), responderSessionId, dst, src));
        result.put("r2i", direction(skrc.hmacFlags(), skrc.hmacLength(), skrc.sseqFlags(),
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
        result.put("sessionId", FieldValues.sessionIdHex(sessionId));
        result.put("hmacLength", framing.hmacLength);
        result.put("sequenceNumbers", framing.sequenceNumbers);
        return result;
    }

    private static String directionKey(final int sessionId, final String src, final String dst)
    {
        return sessionId + " " + src + '>' + dst;
    }
}
