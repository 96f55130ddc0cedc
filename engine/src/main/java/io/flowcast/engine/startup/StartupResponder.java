package io.flowcast.engine.startup;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointCounters;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.PacketWriter;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionServices;
import io.flowcast.engine.session.SessionState;

import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RIKeyingChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.CookieFactory;
import io.flowcast.crypto.EndpointDiscriminator;
import io.flowcast.crypto.SessionKeying;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;

import static io.flowcast.engine.startup.StartupSession.SIGNATURE;

/**
 * The responder side of startup, RFC 7016 §3.5.1.1.2 with the RFC 7425 profile: IHello whose EPD selects us →
 * RHello with a stateless cookie bound to the sender's address and our certificate; IIKeying with a valid cookie →
 * keying, a new session and RIKeying under the Default Session Key; retransmitted IIKeying → the same RIKeying;
 * glare (§3.5.1.3) and session override (RFC 7425 §4.3.7). Part of the {@link StartupSession}; agent thread only.
 */
final class StartupResponder
{
    private final StartupSession startup;
    private final SessionServices services;
    private final EndpointCounters counters;
    private final EndpointContext context;
    private final PacketWriter writer;
    private final IHelloChunk iHello = new IHelloChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final EndpointDiscriminator discriminator = new EndpointDiscriminator();
    private final Certificate farCertificate = new Certificate();
    private final SessionKeying.Result[] keyingResult = new SessionKeying.Result[1];
    private final CookieFactory cookieFactory;
    private final UnsafeBuffer cookieBuffer = new UnsafeBuffer(new byte[CookieFactory.COOKIE_LENGTH]);
    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(new byte[16 + 2]);

    StartupResponder(final StartupSession startup)
    {
        this.startup = startup;
        this.services = startup.services;
        this.counters = services.counters();
        this.context = services.context();
        this.writer = services.writer();
        this.cookieFactory = new CookieFactory(context.random(), context.cookieLifetimeSeconds());
    }

    private long nowSeconds()
    {
        return context.epochClock().time() / 1000;
    }

    void onIHello(final PacketDecoder decoder, final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != iHello.wrap(decoder))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        if (!context.acceptIncoming())
        {
            counters.dropNotSelected.incrementRelease();
            return;
        }
        if (EndpointDiscriminator.OK != discriminator.wrap(iHello.buffer(), iHello.epdOffset(), iHello.epdLength()))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        if (!discriminator.selects(startup.ourCertificate, startup.ourFingerprint))
        {
            counters.dropNotSelected.incrementRelease();
            return;
        }
        // no state kept: the cookie is bound to the address and verified statelessly when echoed
        final int addressLength = addressBytes(source);
        cookieFactory.issue(cookieBuffer, 0, addressBuffer, 0, addressLength, nowSeconds());
        writer.beginStartupPacket();
        final int written = RHelloChunk.encode(
            writer.buffer(), writer.assembler().position(), writer.assembler().limit(),
            iHello.buffer(), iHello.tagOffset(), iHello.tagLength(),
            cookieBuffer, 0, CookieFactory.COOKIE_LENGTH,
            startup.ourCertificateBuffer, 0, startup.ourCertificateBytes.length);
        if (written < 0)
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        writer.assembler().commit(written);
        writer.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, source, channel);
        counters.rhelloSent.incrementRelease();
    }

    void onIIKeying(final PacketDecoder decoder, final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != iiKeying.wrap(decoder))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        if (!context.acceptIncoming())
        {
            counters.dropNotSelected.incrementRelease();
            return;
        }
        final int addressLength = addressBytes(source);
        if (CookieFactory.VALID != cookieFactory.verify(
            iiKeying.buffer(), iiKeying.cookieOffset(), iiKeying.cookieLength(),
            addressBuffer, 0, addressLength, nowSeconds()))
        {
            counters.dropBadCookie.incrementRelease();
            return;
        }
        if (Certificate.OK != farCertificate.wrap(
            iiKeying.buffer(), iiKeying.certificateOffset(), iiKeying.certificateLength()))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        final int initiatorSessionId = iiKeying.initiatorSessionId();
        final byte[] certificate = StartupSession.copy(
            iiKeying.buffer(), iiKeying.certificateOffset(), iiKeying.certificateLength());
        final byte[] skic = StartupSession.copy(iiKeying.buffer(), iiKeying.skicOffset(), iiKeying.skicLength());

        final Session opening = StartupInitiator.openingTo(startup.sessions, source);
        if (null != opening)
        {
            // §3.5.1.3 glare, with RFC 7425 §4.3.6: the far end prevails iff its certificate sorts first
            counters.handshakesGlare.incrementRelease();
            if (Certificate.compare(certificate, startup.ourCertificateBytes) < 0)
            {
                opening.openFailed(CloseReason.GLARE);
            }
            else
            {
                return;
            }
        }

        final Session existing = startup.sessions.byAddress(source);
        if (null != existing)
        {
            if (existing.answeredIIKeying(initiatorSessionId, certificate, skic))
            {
                if (null == existing.riKeyingChunk())
                {
                    // confirmed session (the initiator already spoke with our keys): a late copy of its IIKeying
                    counters.duplicateIIKeying.incrementRelease();
                    return;
                }
                if (SessionState.OPEN == existing.state())
                {
                    counters.duplicateIIKeying.incrementRelease();
                    sendRIKeying(existing);
                }
                return;
            }
            if (existing.hasFarCertificate(certificate))
            {
                existing.abort(CloseReason.OVERRIDDEN); // §3.5.1.1.2 step 2.3, RFC 7425 §4.3.7
            }
            else
            {
                counters.dropWrongState.incrementRelease();
                return;
            }
        }
        if (startup.sessions.size() >= context.maxSessions() ||
            startup.sessions.countAt(source.getAddress()) >= context.maxSessionsPerAddress())
        {
            counters.handshakesRefusedLimit.incrementRelease();
            return;
        }
        keyingResult[0] = null;
        final int rc = startup.keying.respond(farCertificate, skic, keyingResult);
        if (rc < 0 || null == keyingResult[0])
        {
            counters.handshakesKeyingFailed.incrementRelease();
            return; // §4.8: stay silent
        }
        final SessionKeying.Result result = keyingResult[0];
        keyingResult[0] = null;

        final Session session = new Session(services, false, 0);
        session.farEnd(startup.sessions.newSessionId(services.random()), source, channel, certificate);
        session.keyed(initiatorSessionId, writer.protection(result),
            result.keys().responderNonce(), result.keys().initiatorNonce());
        final byte[] skrc = result.component();
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[skrc.length + 16]);
        final int chunkLength = RIKeyingChunk.encode(
            chunk, 0, chunk.capacity(), session.localSessionId(), new UnsafeBuffer(skrc), 0, skrc.length,
            SIGNATURE, 0, 1);
        session.answered(skic, new UnsafeBuffer(chunk.byteArray(), 0, chunkLength));
        startup.sessions.register(session);
        writer.logKeys(session, result);
        sendRIKeying(session);
        counters.handshakesRespondedOpen.incrementRelease();
        session.open();
    }

    void sendRIKeying(final Session session)
    {
        writer.beginStartupPacket();
        final UnsafeBuffer chunk = session.riKeyingChunk();
        writer.buffer().putBytes(writer.assembler().position(), chunk, 0, chunk.capacity());
        writer.assembler().commit(chunk.capacity());
        writer.sendStartupPacket(session.farSessionId(), session.farAddress(), session.channel());
    }

    private int addressBytes(final InetSocketAddress address)
    {
        final byte[] ip = address.getAddress().getAddress();
        addressBuffer.putBytes(0, ip);
        addressBuffer.putShort(ip.length, (short)address.getPort());
        return ip.length + 2;
    }
}
