package io.flowcast.engine.startup;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointCounters;
import io.flowcast.engine.endpoint.SessionTable;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.PacketWriter;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionServices;
import io.flowcast.engine.session.SessionState;

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
import java.util.concurrent.TimeUnit;

import static io.flowcast.engine.startup.StartupSession.SIGNATURE;

/**
 * The initiator side of startup, RFC 7016 §3.5.1.1.1 with the RFC 7425 profile: IHello with a random tag to every
 * candidate address on a back-off, RHello whose certificate our EPD selects → SKIC and IIKeying on a back-off,
 * RIKeying (under the Default Session Key, with our session ID) → keys → open. Also Redirect (new candidates),
 * RHello Cookie Change (§3.5.1.2) and duplicate detection. Part of the {@link StartupSession}; agent thread only.
 */
final class StartupInitiator
{
    private static final long MAX_HELLO_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);

    private final StartupSession startup;
    private final SessionServices services;
    private final SessionTable sessions;
    private final EndpointCounters counters;
    private final EndpointContext context;
    private final PacketWriter writer;
    private final StartupObserver observer;
    private final RHelloChunk rHello = new RHelloChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final RedirectChunk redirect = new RedirectChunk();
    private final RHelloCookieChangeChunk cookieChange = new RHelloCookieChangeChunk();
    private long nextOpenId = 1;
    private final EndpointDiscriminator discriminator = new EndpointDiscriminator();
    private final Certificate farCertificate = new Certificate();
    private final SessionKeying.Result[] keyingResult = new SessionKeying.Result[1];

    StartupInitiator(final StartupSession startup)
    {
        this.startup = startup;
        this.services = startup.services;
        this.sessions = startup.sessions;
        this.counters = services.counters();
        this.context = services.context();
        this.writer = services.writer();
        this.observer = startup.observer;
    }

    private long nowNs()
    {
        return services.clock().nanoTime();
    }

    long connect(final byte[] endpointDiscriminator, final List<InetSocketAddress> candidates)
    {
        final long openId = nextOpenId++;
        if (sessions.openingCount() >= context.maxOpening() || sessions.size() >= context.maxSessions())
        {
            counters.handshakesRefusedLimit.incrementRelease();
            startup.host.onOpenFailed(openId, CloseReason.LIMIT);
            return openId;
        }
        final Session session = new Session(services, true, openId);
        final byte[] tag = new byte[Opening.TAG_LENGTH];
        services.random().nextBytes(tag);
        final Opening opening = new Opening(
            session, tag, endpointDiscriminator.clone(), nowNs() + context.openTimeoutNs());
        session.helloSent(opening);
        sessions.addOpening(session);
        for (final InetSocketAddress candidate : candidates)
        {
            opening.addCandidate(candidate, nowNs(), context.helloIntervalNs());
        }
        onTimer(session);
        return openId;
    }

    /**
     * The opening's timer: IHello to each candidate due (§3.5.1.1.1, doubling back-off up to 30 s), or IIKeying,
     * until the open deadline.
     */
    void onTimer(final Session session)
    {
        final Opening opening = session.opening();
        final long now = nowNs();
        if (now - opening.deadlineNs >= 0)
        {
            session.openFailed(CloseReason.OPEN_TIMEOUT);
            return;
        }
        if (SessionState.IHELLO_SENT == session.state())
        {
            long next = opening.deadlineNs;
            for (int i = 0; i < opening.candidateCount; i++)
            {
                if (now - opening.nextHelloNs[i] >= 0)
                {
                    sendIHello(opening, opening.candidates[i]);
                    opening.nextHelloNs[i] = now + opening.helloIntervalNs[i];
                    opening.helloIntervalNs[i] = Math.min(2 * opening.helloIntervalNs[i], MAX_HELLO_INTERVAL_NS);
                }
                next = Math.min(next, opening.nextHelloNs[i]);
            }
            services.timers().schedule(session, next);
        }
        else
        {
            if (now - opening.nextKeyingNs >= 0)
            {
                sendIIKeying(session, opening);
                opening.nextKeyingNs = now + opening.keyingIntervalNs;
                opening.keyingIntervalNs = Math.min(2 * opening.keyingIntervalNs, MAX_HELLO_INTERVAL_NS);
            }
            services.timers().schedule(session, Math.min(opening.nextKeyingNs, opening.deadlineNs));
        }
    }

    private void sendIHello(final Opening opening, final InetSocketAddress destination)
    {
        writer.beginStartupPacket();
        final int written = IHelloChunk.encode(
            writer.buffer(), writer.assembler().position(), writer.assembler().limit(),
            opening.epd, 0, opening.epd.capacity(), opening.tag, 0, Opening.TAG_LENGTH);
        if (written > 0)
        {
            writer.assembler().commit(written);
            writer.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, destination, -1);
            if (null != observer)
            {
                observer.helloSent(opening.session.openId(), destination);
            }
        }
    }

    private Session openingWithTag(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (Opening.TAG_LENGTH != length)
        {
            return null;
        }
        for (int i = 0, size = sessions.openingCount(); i < size; i++)
        {
            final Session session = sessions.opening(i);
            if (SessionState.IHELLO_SENT == session.state() &&
                StartupSession.sameBytes(session.opening().tag, buffer, offset, length))
            {
                return session;
            }
        }
        return null;
    }

    /**
     * @param sessions the session table.
     * @param address  a far address.
     * @return our opening to that address (a candidate, or the responder of S_KEYING_SENT), or null: glare.
     */
    static Session openingTo(final SessionTable sessions, final InetSocketAddress address)
    {
        for (int i = 0, size = sessions.openingCount(); i < size; i++)
        {
            final Session session = sessions.opening(i);
            if (SessionState.KEYING_SENT == session.state())
            {
                if (address.equals(session.farAddress()))
                {
                    return session;
                }
                continue;
            }
            if (session.opening().isCandidate(address))
            {
                return session;
            }
        }
        return null;
    }

    void onRHello(final PacketDecoder decoder, final InetSocketAddress source, final int channel)
    {
        if (RtmfpError.OK != rHello.wrap(decoder))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        final Session session = openingWithTag(rHello.buffer(), rHello.tagEchoOffset(), rHello.tagEchoLength());
        if (null == session)
        {
            counters.dropUnknownTag.incrementRelease();
            return;
        }
        final Opening opening = session.opening();
        if (Certificate.OK != farCertificate.wrap(
            rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength()) ||
            EndpointDiscriminator.OK != discriminator.wrap(opening.epd, 0, opening.epd.capacity()))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        if (!discriminator.selects(farCertificate, farCertificate.fingerprint()))
        {
            counters.dropNotSelected.incrementRelease();
            if (null != observer)
            {
                observer.notSelected(session.openId(), source);
            }
            return;
        }
        if (null != observer)
        {
            observer.rhelloReceived(session.openId(), source);
        }
        if (null != sessions.withFarCertificate(rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength()))
        {
            counters.handshakesDuplicate.incrementRelease();
            session.openFailed(CloseReason.DUPLICATE);
            return;
        }
        if (sessions.size() >= context.maxSessions())
        {
            counters.handshakesRefusedLimit.incrementRelease();
            session.openFailed(CloseReason.LIMIT);
            return;
        }
        final SessionKeying.Initiation initiation = startup.keying.initiate(farCertificate);
        if (null == initiation)
        {
            counters.handshakesKeyingFailed.incrementRelease();
            session.openFailed(CloseReason.NO_COMMON_GROUP);
            return;
        }
        opening.initiation = initiation;
        final byte[] certificate =
            StartupSession.copy(rHello.buffer(), rHello.certificateOffset(), rHello.certificateLength());
        opening.cookie =
            new UnsafeBuffer(StartupSession.copy(rHello.buffer(), rHello.cookieOffset(), rHello.cookieLength()));
        opening.skic = new UnsafeBuffer(initiation.skic());
        session.farEnd(sessions.newSessionId(services.random()), source, channel, certificate);
        opening.keyingIntervalNs = context.helloIntervalNs();
        opening.nextKeyingNs = nowNs();
        sessions.register(session);
        onTimer(session);
    }

    private void sendIIKeying(final Session session, final Opening opening)
    {
        writer.beginStartupPacket();
        final int written = IIKeyingChunk.encode(
            writer.buffer(), writer.assembler().position(), writer.assembler().limit(), session.localSessionId(),
            opening.cookie, 0, opening.cookie.capacity(),
            startup.ourCertificateBuffer, 0, startup.ourCertificateBytes.length,
            opening.skic, 0, opening.skic.capacity(),
            SIGNATURE, 0, 1);
        if (written > 0)
        {
            writer.assembler().commit(written);
            writer.sendStartupPacket(Multiplex.STARTUP_SESSION_ID, session.farAddress(), session.channel());
            if (null != observer)
            {
                observer.iikeyingSent(session.openId(), session.farAddress());
            }
        }
    }

    void onKeyingSentPacket(final Session session, final PacketDecoder decoder)
    {
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            if (ChunkType.RIKEYING != type)
            {
                if (ChunkType.PADDING_00 != type && ChunkType.PADDING_FF != type)
                {
                    counters.dropWrongState.incrementRelease();
                }
                continue;
            }
            if (RtmfpError.OK != riKeying.wrap(decoder))
            {
                counters.malformedChunks.incrementRelease();
                continue;
            }
            if (null != observer)
            {
                observer.rikeyingReceived(session.openId());
            }
            final byte[] certificate = session.farCertificate();
            farCertificate.wrap(new UnsafeBuffer(certificate), 0, certificate.length);
            final byte[] skrc = StartupSession.copy(riKeying.buffer(), riKeying.skrcOffset(), riKeying.skrcLength());
            keyingResult[0] = null;
            final int rc = session.opening().initiation.complete(farCertificate, skrc, keyingResult);
            if (rc < 0 || null == keyingResult[0])
            {
                counters.handshakesKeyingFailed.incrementRelease();
                session.openFailed(CloseReason.KEYING_FAILED);
                return;
            }
            final SessionKeying.Result result = keyingResult[0];
            keyingResult[0] = null;
            session.keyed(riKeying.responderSessionId(), writer.protection(result),
                result.keys().initiatorNonce(), result.keys().responderNonce());
            sessions.removeOpening(session);
            writer.logKeys(session, result);
            counters.handshakesInitiatedOpen.incrementRelease();
            session.open();
            return;
        }
    }

    void onRedirect(final PacketDecoder decoder, final InetSocketAddress source)
    {
        if (RtmfpError.OK != redirect.wrap(decoder))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        final Session session = openingWithTag(redirect.buffer(), redirect.tagEchoOffset(), redirect.tagEchoLength());
        if (null == session)
        {
            counters.dropUnknownTag.incrementRelease();
            return;
        }
        final Opening opening = session.opening();
        final List<InetSocketAddress> observed = null == observer ? null : new ArrayList<>();
        if (0 == redirect.addressCount())
        {
            opening.addCandidate(source, nowNs(), context.helloIntervalNs()); // implied redirect
        }
        while (redirect.nextAddress() == RedirectChunk.ADDRESS)
        {
            final InetSocketAddress address = StartupSession.toSocketAddress(redirect.buffer(), redirect.addressOffset());
            if (null != address)
            {
                counters.redirectsFollowed.incrementRelease();
                opening.addCandidate(address, nowNs(), context.helloIntervalNs());
                if (null != observed)
                {
                    observed.add(address);
                }
            }
        }
        if (null != observed)
        {
            observer.redirected(session.openId(), source, observed);
        }
        reschedule(session);
    }

    /**
     * §3.5.1.2, initiator side: the responder recognised its cookie but not our address; IIKeying again, now with
     * the new cookie.
     */
    void onCookieChange(final PacketDecoder decoder)
    {
        if (RtmfpError.OK != cookieChange.wrap(decoder))
        {
            counters.malformedChunks.incrementRelease();
            return;
        }
        for (int i = 0, size = sessions.openingCount(); i < size; i++)
        {
            final Session session = sessions.opening(i);
            final Opening opening = session.opening();
            if (SessionState.KEYING_SENT == session.state() &&
                StartupSession.sameBytes(opening.cookie, cookieChange.buffer(), cookieChange.oldCookieOffset(),
                    cookieChange.oldCookieLength()))
            {
                opening.cookie = new UnsafeBuffer(StartupSession.copy(
                    cookieChange.buffer(), cookieChange.newCookieOffset(), cookieChange.newCookieLength()));
                counters.cookieChanges.incrementRelease();
                opening.nextKeyingNs = nowNs();
                opening.keyingIntervalNs = context.helloIntervalNs();
                reschedule(session);
                return;
            }
        }
        counters.dropUnknownTag.incrementRelease();
    }

    private void reschedule(final Session session)
    {
        services.timers().cancel(session);
        onTimer(session);
    }
}
