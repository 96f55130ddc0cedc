package io.flowcast.engine.rtmfp;

import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RIKeyingChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.CookieFactory;
import io.flowcast.crypto.EndpointDiscriminator;
import io.flowcast.crypto.SessionKeying;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.Arrays;

import static io.flowcast.engine.rtmfp.EndpointAgent.SIGNATURE;

/**
 * The responder side of startup, RFC 7016 §3.5.1.1.2 with the RFC 7425 profile: IHello whose EPD selects us →
 * RHello with a stateless cookie bound to the sender's address and our certificate; IIKeying with a valid cookie →
 * keying, a new session and RIKeying under the Default Session Key; retransmitted IIKeying → the same RIKeying;
 * glare (§3.5.1.3) and session override (RFC 7425 §4.3.7). Runs on the agent thread, part of {@link EndpointAgent}.
 */
final class StartupResponder
{
    private final EndpointAgent agent;
    private final IHelloChunk iHello = new IHelloChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final EndpointDiscriminator discriminator = new EndpointDiscriminator();
    private final Certificate farCertificate = new Certificate();
    private final SessionKeying.Result[] keyingResult = new SessionKeying.Result[1];
    private final CookieFactory cookieFactory;
    private final UnsafeBuffer cookieBuffer = new UnsafeBuffer(new byte[CookieFactory.COOKIE_LENGTH]);
    private final UnsafeBuffer addressBuffer = new UnsafeBuffer(new byte[16 + 2]);

    StartupResponder(final EndpointAgent agent)
    {
        this.agent = agent;
        this.cookieFactory = new CookieFactory(agent.context.random(), agent.context.cookieLifetimeSeconds());
    }

    void onIHello(final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != iHello.wrap(agent.decoder))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        if (!agent.context.acceptIncoming())
        {
            agent.counters.dropNotSelected.incrementRelease();
            return;
        }
        if (EndpointDiscriminator.OK != discriminator.wrap(iHello.buffer(), iHello.epdOffset(), iHello.epdLength()))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        if (!discriminator.selects(agent.ourCertificate, agent.ourFingerprint))
        {
            agent.counters.dropNotSelected.incrementRelease();
            return;
        }
        // no state kept: the cookie is bound to the address and verified statelessly when echoed
        final int addressLength = addressBytes(source);
        cookieFactory.issue(cookieBuffer, 0, addressBuffer, 0, addressLength, agent.nowSeconds());
        agent.beginStartupPacket();
        final int written = RHelloChunk.encode(
            agent.sendBuffer, agent.assembler.position(), agent.assembler.limit(),
            iHello.buffer(), iHello.tagOffset(), iHello.tagLength(),
            cookieBuffer, 0, CookieFactory.COOKIE_LENGTH,
            agent.ourCertificateBuffer, 0, agent.ourCertificateBytes.length);
        if (written < 0)
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        agent.assembler.commit(written);
        agent.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, source, channel);
        agent.counters.rhelloSent.incrementRelease();
    }

    void onIIKeying(final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != iiKeying.wrap(agent.decoder))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        if (!agent.context.acceptIncoming())
        {
            agent.counters.dropNotSelected.incrementRelease();
            return;
        }
        final int addressLength = addressBytes(source);
        if (CookieFactory.VALID != cookieFactory.verify(
            iiKeying.buffer(), iiKeying.cookieOffset(), iiKeying.cookieLength(),
            addressBuffer, 0, addressLength, agent.nowSeconds()))
        {
            agent.counters.dropBadCookie.incrementRelease();
            return;
        }
        if (Certificate.OK != farCertificate.wrap(
            iiKeying.buffer(), iiKeying.certificateOffset(), iiKeying.certificateLength()))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        final int initiatorSessionId = iiKeying.initiatorSessionId();
        final byte[] certificate = EndpointAgent.copy(
            iiKeying.buffer(), iiKeying.certificateOffset(), iiKeying.certificateLength());
        final byte[] skic = EndpointAgent.copy(iiKeying.buffer(), iiKeying.skicOffset(), iiKeying.skicLength());

        final Session opening = agent.openingTo(source);
        if (null != opening)
        {
            // §3.5.1.3 glare, with RFC 7425 §4.3.6: the far end prevails iff its certificate sorts first
            agent.counters.handshakesGlare.incrementRelease();
            if (Certificate.compare(certificate, agent.ourCertificateBytes) < 0)
            {
                agent.openFailed(opening, CloseReason.GLARE);
            }
            else
            {
                return;
            }
        }

        final Session existing = agent.sessionsByAddress.get(source);
        if (null != existing)
        {
            if (!existing.initiator && existing.farSessionId == initiatorSessionId &&
                Arrays.equals(existing.farCertificate, certificate) &&
                (null == existing.skicBytes || Arrays.equals(existing.skicBytes, skic)))
            {
                if (null == existing.riKeyingChunk)
                {
                    // confirmed session (the initiator already spoke with our keys): a late copy of its IIKeying
                    agent.counters.duplicateIIKeying.incrementRelease();
                    return;
                }
                if (SessionState.OPEN == existing.state)
                {
                    agent.counters.duplicateIIKeying.incrementRelease();
                    sendRIKeying(existing);
                }
                return;
            }
            if (Arrays.equals(existing.farCertificate, certificate))
            {
                agent.abort(existing, CloseReason.OVERRIDDEN); // §3.5.1.1.2 step 2.3, RFC 7425 §4.3.7
            }
            else
            {
                agent.counters.dropWrongState.incrementRelease();
                return;
            }
        }
        if (agent.sessionsById.size() >= agent.context.maxSessions() ||
            agent.sessionsPerAddress.getValue(source.getAddress()) >= agent.context.maxSessionsPerAddress())
        {
            agent.counters.handshakesRefusedLimit.incrementRelease();
            return;
        }
        keyingResult[0] = null;
        final int rc = agent.keying.respond(farCertificate, skic, keyingResult);
        if (rc < 0 || null == keyingResult[0])
        {
            agent.counters.handshakesKeyingFailed.incrementRelease();
            return; // §4.8: stay silent
        }
        final SessionKeying.Result result = keyingResult[0];
        keyingResult[0] = null;

        final Session session = new Session(false, 0);
        session.localSessionId = agent.newSessionId();
        session.farSessionId = initiatorSessionId;
        session.farAddress = source;
        session.channel = channel;
        session.farCertificate = certificate;
        session.skicBytes = skic;
        session.protection = agent.protection(result);
        session.nearNonce = result.keys().responderNonce();
        session.farNonce = result.keys().initiatorNonce();
        final byte[] skrc = result.component();
        final UnsafeBuffer chunk = new UnsafeBuffer(new byte[skrc.length + 16]);
        final int chunkLength = RIKeyingChunk.encode(
            chunk, 0, chunk.capacity(), session.localSessionId, new UnsafeBuffer(skrc), 0, skrc.length,
            SIGNATURE, 0, 1);
        session.riKeyingChunk = new UnsafeBuffer(chunk.byteArray(), 0, chunkLength);
        agent.register(session);
        agent.logKeys(session, result);
        sendRIKeying(session);
        agent.counters.handshakesRespondedOpen.incrementRelease();
        agent.enterOpen(session);
    }

    void sendRIKeying(final Session session)
    {
        agent.beginStartupPacket();
        final UnsafeBuffer chunk = session.riKeyingChunk;
        agent.sendBuffer.putBytes(agent.assembler.position(), chunk, 0, chunk.capacity());
        agent.assembler.commit(chunk.capacity());
        agent.sendStartupPacket(session.farSessionId, session.farAddress, session.channel);
    }

    private int addressBytes(final InetSocketAddress address)
    {
        final byte[] ip = address.getAddress().getAddress();
        addressBuffer.putBytes(0, ip);
        addressBuffer.putShort(ip.length, (short)address.getPort());
        return ip.length + 2;
    }
}
