package io.flowcast.dissect;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.ForwardedIHelloChunk;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RHelloCookieChangeChunk;
import io.flowcast.codec.rtmfp.RIKeyingChunk;
import io.flowcast.codec.rtmfp.RedirectChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.KeyingComponent;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.flowcast.dissect.FieldValues.hex;
import static io.flowcast.dissect.FieldValues.rtmfpAddress;
import static io.flowcast.dissect.FieldValues.sessionIdHex;
import static io.flowcast.dissect.FieldValues.text;

/**
 * The fields of the session startup chunks (RFC 7016 §2.3.2-§2.3.8): IHello, Forwarded IHello, RHello, RHello Cookie
 * Change, Redirect, IIKeying and RIKeying, with the endpoint discriminator's options, the keying components' RFC 7425
 * options and the certificates' fingerprints. Keying chunks feed the {@link FramingNegotiation}.
 */
final class StartupChunkDissector
{
    private static final int EPD_HOSTNAME = 0x00;
    private static final int EPD_ANCILLARY_DATA = 0x0a;
    private static final int EPD_FINGERPRINT = 0x0f;

    private final FramingNegotiation negotiation;
    private final IHelloChunk iHello = new IHelloChunk();
    private final ForwardedIHelloChunk forwardedIHello = new ForwardedIHelloChunk();
    private final RHelloChunk rHello = new RHelloChunk();
    private final RHelloCookieChangeChunk cookieChange = new RHelloCookieChangeChunk();
    private final RedirectChunk redirect = new RedirectChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final KeyingComponent keying = new KeyingComponent();
    private final Certificate certificate = new Certificate();
    private final OptionFlyweight options = new OptionFlyweight();

    StartupChunkDissector(final FramingNegotiation negotiation)
    {
        this.negotiation = negotiation;
    }

    /**
     * @param type a chunk type.
     * @return true for the startup chunks this class describes.
     */
    static boolean handles(final int type)
    {
        return switch (type)
        {
            case ChunkType.IHELLO, ChunkType.FORWARDED_IHELLO, ChunkType.RHELLO, ChunkType.RHELLO_COOKIE_CHANGE,
                ChunkType.REDIRECT, ChunkType.IIKEYING, ChunkType.RIKEYING -> true;
            default -> false;
        };
    }

    /**
     * @param decoder positioned on a chunk of a type this class {@link #handles}.
     * @param type    its type.
     * @param fields  to fill.
     * @param src     the datagram's source.
     * @param dst     its destination.
     * @return the chunk flyweight's {@link RtmfpError} code.
     */
    int describe(
        final PacketDecoder decoder, final int type, final Map<String, Object> fields, final String src,
        final String dst)
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
                return iiKeying(decoder, b, fields, src, dst);
            case ChunkType.RIKEYING:
                return riKeying(decoder, b, fields, src, dst);
            default:
                return RtmfpError.OK;
        }
    }

    private int iiKeying(
        final PacketDecoder decoder, final DirectBuffer b, final Map<String, Object> fields, final String src,
        final String dst)
    {
        final int rc = iiKeying.wrap(decoder);
        if (RtmfpError.OK == rc)
        {
            fields.put("initiatorSessionID_hex", sessionIdHex(iiKeying.initiatorSessionId()));
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
                negotiation.onIIKeying(src, dst, keying, iiKeying.initiatorSessionId());
            }
        }
        return rc;
    }

    private int riKeying(
        final PacketDecoder decoder, final DirectBuffer b, final Map<String, Object> fields, final String src,
        final String dst)
    {
        final int rc = riKeying.wrap(decoder);
        if (RtmfpError.OK == rc)
        {
            fields.put("responderSessionID_hex", sessionIdHex(riKeying.responderSessionId()));
            fields.put("skrcLength", riKeying.skrcLength());
            final Map<String, Object> skrc = component(b, riKeying.skrcOffset(), riKeying.skrcLength());
            fields.put("skrc", skrc);
            fields.put("signatureLength", riKeying.signatureLength());
            if (skrc.containsKey("hmacFlags"))
            {
                final Map<String, Object> negotiated =
                    negotiation.onRIKeying(src, dst, keying, riKeying.responderSessionId());
                if (null != negotiated)
                {
                    fields.put("negotiated", negotiated);
                }
            }
        }
        return rc;
    }

    /** A session key initiator or responder component (RFC 7425 §4.6); leaves {@link #keying} on it. */
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

    /** An endpoint discriminator's options (RFC 7425 §4.4.2). */
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
}
