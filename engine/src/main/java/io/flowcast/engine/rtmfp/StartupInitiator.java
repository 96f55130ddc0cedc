package io.flowcast.engine.rtmfp;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RHelloCookieChangeChunk;
import io.flowcast.codec.rtmfp.RIKeyingChunk;
import io.flowcast.codec.rtmfp.RedirectChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.EndpointDiscriminator;
import io.flowcast.crypto.SessionKeying;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static io.flowcast.engine.rtmfp.EndpointAgent.SIGNATURE;

/**
 * The initiator side of startup, RFC 7016 §3.5.1.1.1 with the RFC 7425 profile: IHello with a random tag to every
 * candidate address on a back-off, RHello whose certificate our EPD selects → SKIC and IIKeying on a back-off,
 * RIKeying (under the Default Session Key, with our session ID) → keys → open. Also Redirect (new candidates),
 * RHello Cookie Change (§3.5.1.2) and duplicate detection. Runs on the agent thread, part of {@link EndpointAgent}.
 */
final class StartupInitiator
{
    private final EndpointAgent agent;
    private final RHelloChunk rHello = new RHelloChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final RedirectChunk redirect = new RedirectChunk();
    private final RHelloCookieChangeChunk cookieChange = new RHelloCookieChangeChunk();
    private long nextOpenId = 1;
    private final EndpointDiscriminator discriminator = new EndpointDiscriminator();
    private final Certificate farCertificate = new Certificate();
    private final SessionKeying.Result[] keyingResult = new SessionKeying.Result[1];

    StartupInitiator(final EndpointAgent agent)
    {
        this.agent = agent;
    }

    long connect(final byte[] endpointDiscriminator, final List<InetSocketAddress> candidates)
    {
        final long openId = nextOpenId++;
        if (agent.openings.size() >= agent.context.maxOpening() ||
            agent.sessionsById.size() >= agent.context.maxSessions())
        {
            agent.counters.handshakesRefusedLimit.incrementRelease();
            agent.notifyOpenFailed(openId, CloseReason.LIMIT);
            return openId;
        }
        final Session session = new Session(true, openId);
        session.state = SessionState.IHELLO_SENT;
        final byte[] tag = new byte[Session.TAG_LENGTH];
        agent.random.nextBytes(tag);
        session.tag = new UnsafeBuffer(tag);
        session.epd = new UnsafeBuffer(endpointDiscriminator.clone());
        session.stateEnteredNs = agent.nowNs;
        session.openDeadlineNs = agent.nowNs + agent.context.openTimeoutNs();
        agent.openings.add(session);
        for (final InetSocketAddress candidate : candidates)
        {
            addCandidate(session, candidate);
        }
        agent.onSessionTimer(session);
        return openId;
    }

    void addCandidate(final Session session, final InetSocketAddress candidate)
    {
        if (session.candidateCount >= Session.MAX_CANDIDATES)
        {
            return;
        }
        for (int i = 0; i < session.candidateCount; i++)
        {
            if (session.candidates[i].equals(candidate))
            {
                return;
            }
        }
        final int index = session.candidateCount++;
        session.candidates[index] = candidate;
        session.nextHelloNs[index] = agent.nowNs;
        session.helloIntervalNs[index] = agent.context.helloIntervalNs();
    }

    void sendIHello(final Session session, final InetSocketAddress destination)
    {
        agent.beginStartupPacket();
        final int written = IHelloChunk.encode(
            agent.sendBuffer, agent.assembler.position(), agent.assembler.limit(),
            session.epd, 0, session.epd.capacity(), session.tag, 0, Session.TAG_LENGTH);
        if (written > 0)
        {
            agent.assembler.commit(written);
            agent.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, destination, -1);
            if (null != agent.startupObserver)
            {
                agent.startupObserver.helloSent(session.openId, destination);
            }
        }
    }

    Session openingWithTag(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (Session.TAG_LENGTH != length)
        {
            return null;
        }
        for (int i = 0, size = agent.openings.size(); i < size; i++)
        {
            final Session session = agent.openings.get(i);
            if (SessionState.IHELLO_SENT == session.state && agent.sameBytes(session.tag, buffer, offset, length))
            {
                return session;
            }
        }
        return null;
    }

    Session openingTo(final InetSocketAddress address)
    {
        for (int i = 0, size = agent.openings.size(); i < size; i++)
        {
            final Session session = agent.openings.get(i);
            if (SessionState.KEYING_SENT == session.state)
            {
                if (address.equals(session.farAddress))
                {
                    return session;
                }
                continue;
            }
            for (int c = 0; c < session.candidateCount; c++)
            {
                if (address.equals(session.candidates[c]))
                {
                    return session;
                }
            }
        }
        return null;
    }

    void onRHello(final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != rHello.wrap(agent.decoder))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        final Session session = openingWithTag(rHello.buffer(), rHello.tagEchoOffset(), rHello.tagEchoLength());
        if (null == session)
        {
            agent.counters.dropUnknownTag.incrementRelease();
            return;
        }
        if (Certificate.OK != farCertificate.wrap(
            rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength()) ||
            EndpointDiscriminator.OK != discriminator.wrap(session.epd, 0, session.epd.capacity()))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        if (!discriminator.selects(farCertificate, farCertificate.fingerprint()))
        {
            agent.counters.dropNotSelected.incrementRelease();
            if (null != agent.startupObserver)
            {
                agent.startupObserver.notSelected(session.openId, source);
            }
            return;
        }
        if (null != agent.startupObserver)
        {
            agent.startupObserver.rhelloReceived(session.openId, source);
        }
        if (null != sessionWithCertificate(rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength()))
        {
            agent.counters.handshakesDuplicate.incrementRelease();
            agent.openFailed(session, CloseReason.DUPLICATE);
            return;
        }
        if (agent.sessionsById.size() >= agent.context.maxSessions())
        {
            agent.counters.handshakesRefusedLimit.incrementRelease();
            agent.openFailed(session, CloseReason.LIMIT);
            return;
        }
        final SessionKeying.Initiation initiation = agent.keying.initiate(farCertificate);
        if (null == initiation)
        {
            agent.counters.handshakesKeyingFailed.incrementRelease();
            agent.openFailed(session, CloseReason.NO_COMMON_GROUP);
            return;
        }
        session.initiation = initiation;
        session.farCertificate = agent.copy(rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength());
        session.cookie = new UnsafeBuffer(agent.copy(rHello.buffer(), rHello.cookieOffset(), rHello.cookieLength()));
        session.skic = new UnsafeBuffer(initiation.skic());
        session.farAddress = source;
        session.channel = channel;
        session.localSessionId = agent.newSessionId();
        session.state = SessionState.KEYING_SENT;
        session.keyingIntervalNs = agent.context.helloIntervalNs();
        session.nextKeyingNs = agent.nowNs;
        agent.register(session);
        agent.onSessionTimer(session);
    }

    Session sessionWithCertificate(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        for (final Session existing : agent.sessionsById.values())
        {
            if ((SessionState.OPEN == existing.state || SessionState.KEYING_SENT == existing.state) &&
                null != existing.farCertificate && existing.farCertificate.length == length)
            {
                boolean same = true;
                for (int i = 0; i < length && same; i++)
                {
                    same = existing.farCertificate[i] == buffer.getByte(offset + i);
                }
                if (same)
                {
                    return existing;
                }
            }
        }
        return null;
    }

    void sendIIKeying(final Session session)
    {
        agent.beginStartupPacket();
        final int written = IIKeyingChunk.encode(
            agent.sendBuffer, agent.assembler.position(), agent.assembler.limit(), session.localSessionId,
            session.cookie, 0, session.cookie.capacity(),
            agent.ourCertificateBuffer, 0, agent.ourCertificateBytes.length,
            session.skic, 0, session.skic.capacity(),
            SIGNATURE, 0, 1);
        if (written > 0)
        {
            agent.assembler.commit(written);
            agent.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, session.farAddress, session.channel);
            if (null != agent.startupObserver)
            {
                agent.startupObserver.iikeyingSent(session.openId, session.farAddress);
            }
        }
    }

    void onKeyingSentPacket(final Session session)
    {
        int type;
        while ((type = agent.decoder.next()) != PacketDecoder.END)
        {
            if (ChunkType.RIKEYING != type)
            {
                if (ChunkType.PADDING_00 != type && ChunkType.PADDING_FF != type)
                {
                    agent.counters.dropWrongState.incrementRelease();
                }
                continue;
            }
            if (RtmfpError.OK != riKeying.wrap(agent.decoder))
            {
                agent.counters.malformedChunks.incrementRelease();
                continue;
            }
            if (null != agent.startupObserver)
            {
                agent.startupObserver.rikeyingReceived(session.openId);
            }
            farCertificate.wrap(new UnsafeBuffer(session.farCertificate), 0, session.farCertificate.length);
            final byte[] skrc = agent.copy(riKeying.buffer(), riKeying.skrcOffset(), riKeying.skrcLength());
            keyingResult[0] = null;
            final int rc = session.initiation.complete(farCertificate, skrc, keyingResult);
            if (rc < 0 || null == keyingResult[0])
            {
                agent.counters.handshakesKeyingFailed.incrementRelease();
                agent.openFailed(session, CloseReason.KEYING_FAILED);
                return;
            }
            final SessionKeying.Result result = keyingResult[0];
            keyingResult[0] = null;
            session.farSessionId = riKeying.responderSessionId();
            session.protection = agent.protection(result);
            session.nearNonce = result.keys().initiatorNonce();
            session.farNonce = result.keys().responderNonce();
            session.initiation = null;
            session.cookie = null;
            agent.openings.remove(session);
            agent.logKeys(session, result);
            agent.counters.handshakesInitiatedOpen.incrementRelease();
            agent.enterOpen(session);
            return;
        }
    }

    void onRedirect(final InetSocketAddress source)
    {
        if (RtmfpError.OK != redirect.wrap(agent.decoder))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        final Session session = openingWithTag(redirect.buffer(), redirect.tagEchoOffset(), redirect.tagEchoLength());
        if (null == session)
        {
            agent.counters.dropUnknownTag.incrementRelease();
            return;
        }
        final List<InetSocketAddress> observed = null == agent.startupObserver ? null : new ArrayList<>();
        if (0 == redirect.addressCount())
        {
            addCandidate(session, source); // implied redirect
        }
        while (redirect.nextAddress() == RedirectChunk.ADDRESS)
        {
            final InetSocketAddress address = agent.toSocketAddress(redirect.buffer(), redirect.addressOffset());
            if (null != address)
            {
                agent.counters.redirectsFollowed.incrementRelease();
                addCandidate(session, address);
                if (null != observed)
                {
                    observed.add(address);
                }
            }
        }
        if (null != observed)
        {
            agent.startupObserver.redirected(session.openId, source, observed);
        }
        rescheduleOpening(session);
    }

    /**
     * §3.5.1.2, initiator side: the responder recognised its cookie but not our address; IIKeying again, now with
     * the new cookie.
     */
    void onCookieChange()
    {
        if (RtmfpError.OK != cookieChange.wrap(agent.decoder))
        {
            agent.counters.malformedChunks.incrementRelease();
            return;
        }
        for (int i = 0, size = agent.openings.size(); i < size; i++)
        {
            final Session session = agent.openings.get(i);
            if (SessionState.KEYING_SENT == session.state &&
                agent.sameBytes(session.cookie, cookieChange.buffer(), cookieChange.oldCookieOffset(),
                    cookieChange.oldCookieLength()))
            {
                session.cookie = new UnsafeBuffer(
                    agent.copy(cookieChange.buffer(), cookieChange.newCookieOffset(), cookieChange.newCookieLength()));
                agent.counters.cookieChanges.incrementRelease();
                session.nextKeyingNs = agent.nowNs;
                session.keyingIntervalNs = agent.context.helloIntervalNs();
                rescheduleOpening(session);
                return;
            }
        }
        agent.counters.dropUnknownTag.incrementRelease();
    }

    void rescheduleOpening(final Session session)
    {
        agent.cancelTimer(session);
        agent.onSessionTimer(session);
    }
}
