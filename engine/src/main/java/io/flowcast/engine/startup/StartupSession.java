package io.flowcast.engine.startup;

import io.flowcast.engine.endpoint.SessionTable;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionServices;

import io.flowcast.codec.rtmfp.Address;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.SessionKeying;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The startup session (session ID 0, RFC 7016 §3.5.1), as in rtmfp-cpp's {@code StartupSession}: a session type of
 * its own that takes every packet under the Default Session Key and runs both sides of the handshake, the responder's
 * ({@link StartupResponder}) and the initiator's ({@link StartupInitiator}), against its endpoint through the narrow
 * {@link StartupHost}. It holds this end's identity (certificate, fingerprint, keying). Agent thread only.
 */
public final class StartupSession
{
    static final UnsafeBuffer SIGNATURE = new UnsafeBuffer(new byte[]{ 'X' });

    final StartupHost host;
    final SessionServices services;
    final SessionTable sessions;
    final SessionKeying keying;
    final Certificate ourCertificate = new Certificate();
    final byte[] ourCertificateBytes;
    final UnsafeBuffer ourCertificateBuffer;
    final byte[] ourFingerprint;
    final StartupObserver observer;
    private final StartupResponder responder;
    private final StartupInitiator initiator;

    /**
     * @param host the endpoint.
     */
    public StartupSession(final StartupHost host)
    {
        this.host = host;
        this.services = host.services();
        this.sessions = host.sessions();
        this.keying = services.context().keying();
        this.observer = services.context().startupObserver();
        this.ourCertificateBytes = keying.certificate();
        this.ourCertificateBuffer = new UnsafeBuffer(ourCertificateBytes);
        ourCertificate.wrap(ourCertificateBuffer, 0, ourCertificateBytes.length);
        this.ourFingerprint = ourCertificate.fingerprint();
        this.responder = new StartupResponder(this);
        this.initiator = new StartupInitiator(this);
    }

    /**
     * @return this end's fingerprint (peer ID), 32 bytes: a copy.
     */
    public byte[] fingerprint()
    {
        return ourFingerprint.clone();
    }

    /**
     * The chunks of a startup packet (decrypted under the Default Session Key, decoder wrapped).
     *
     * @param decoder the packet.
     * @param source  where it came from.
     * @param channel the transport channel.
     */
    public void onPacket(final PacketDecoder decoder, final InetSocketAddress source, final int channel)
    {
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            switch (type)
            {
                case ChunkType.IHELLO:
                    responder.onIHello(decoder, source, channel);
                    break;
                case ChunkType.RHELLO:
                    initiator.onRHello(decoder, source, channel);
                    break;
                case ChunkType.IIKEYING:
                    responder.onIIKeying(decoder, source, channel);
                    break;
                case ChunkType.REDIRECT:
                    initiator.onRedirect(decoder, source);
                    break;
                case ChunkType.RHELLO_COOKIE_CHANGE:
                    initiator.onCookieChange(decoder);
                    break;
                case ChunkType.PADDING_00:
                case ChunkType.PADDING_FF:
                    break;
                default:
                    services.counters().ignoredChunks.incrementRelease();
                    break;
            }
        }
    }

    /**
     * §3.5.1.1.1: a packet for an initiator's session in S_KEYING_SENT, under the Default Session Key (RIKeying).
     *
     * @param session the opening.
     * @param decoder the packet.
     */
    public void onKeyingSentPacket(final Session session, final PacketDecoder decoder)
    {
        initiator.onKeyingSentPacket(session, decoder);
    }

    /**
     * Open a session to an endpoint discriminator at candidate addresses.
     *
     * @param endpointDiscriminator the EPD.
     * @param candidates            addresses to send IHello to.
     * @return the opening identifier.
     */
    public long connect(final byte[] endpointDiscriminator, final List<InetSocketAddress> candidates)
    {
        return initiator.connect(endpointDiscriminator, candidates);
    }

    /**
     * An opening's timer fired: retransmit IHello or IIKeying on their back-off, or fail at the open deadline.
     *
     * @param session the opening.
     */
    public void onTimer(final Session session)
    {
        initiator.onTimer(session);
    }

    static InetSocketAddress toSocketAddress(final DirectBuffer buffer, final int offset)
    {
        final byte[] ip = new byte[Address.ipLength(buffer, offset)];
        buffer.getBytes(offset + Address.IP_OFFSET, ip);
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(ip), Address.port(buffer, offset));
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    static boolean sameBytes(final UnsafeBuffer expected, final DirectBuffer buffer, final int offset, final int length)
    {
        if (expected.capacity() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (expected.getByte(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
