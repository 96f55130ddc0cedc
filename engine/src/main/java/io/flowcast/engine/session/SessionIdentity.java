package io.flowcast.engine.session;

import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.engine.startup.Opening;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Who a {@link Session} is with and under which keys (RFC 7016 §3.5): initiator or responder, the session IDs both
 * ways, DESTADDR and its transport channel, the far end's certificate, the packet protection and RFC 7425 session
 * nonces, and what startup keeps until the keys are confirmed (an initiator's {@link Opening}, a responder's RIKeying
 * for retransmitted IIKeyings, §3.5.1.1.2). Set by startup; read by everyone. Agent thread only.
 */
abstract class SessionIdentity
{
    private final boolean initiator;
    private final long openId;
    private int localSessionId;
    private int farSessionId;
    private InetSocketAddress farAddress;
    private int channel = -1;
    private PacketProtection protection;
    private byte[] farCertificate;
    private byte[] nearNonce; // RFC 7425 §4.6.5 session nonces, set when keying completes
    private byte[] farNonce;

    // startup: the initiator's opening (S_IHELLO_SENT, S_KEYING_SENT); the responder's answer to a retransmitted
    // IIKeying (§3.5.1.1.2), kept until the initiator speaks with our keys
    private Opening opening;
    private byte[] answeredSkic;
    private UnsafeBuffer riKeyingChunk;

    SessionIdentity(final boolean initiator, final long openId)
    {
        this.initiator = initiator;
        this.openId = openId;
    }

    void attach(final Opening opening)
    {
        this.opening = opening;
    }

    void identify(
        final int localSessionId, final InetSocketAddress farAddress, final int channel, final byte[] farCertificate)
    {
        this.localSessionId = localSessionId;
        this.farAddress = farAddress;
        this.channel = channel;
        this.farCertificate = farCertificate;
    }

    /**
     * §3.5.1.1.2: the initiator spoke with our keys, so it will not retransmit IIKeying; free what answered it.
     */
    void keysConfirmed()
    {
        if (null != riKeyingChunk)
        {
            riKeyingChunk = null;
            answeredSkic = null;
        }
    }

    /**
     * §3.5.4.2: DESTADDR moved.
     */
    void moveTo(final InetSocketAddress address, final int channel)
    {
        this.farAddress = address;
        this.channel = channel;
    }

    /**
     * The session was released.
     */
    void forgetKeys()
    {
        protection = null;
        opening = null;
        riKeyingChunk = null;
    }

    /**
     * @return startup's state of an initiator's opening, or null once keyed.
     */
    public Opening opening()
    {
        return opening;
    }

    /**
     * Keying completed (RIKeying received, or IIKeying answered).
     *
     * @param farSessionId the ID we put on packets to the far end.
     * @param protection   the session keys.
     * @param nearNonce    our session nonce (RFC 7425 §4.6.5).
     * @param farNonce     the far end's.
     */
    public void keyed(
        final int farSessionId, final PacketProtection protection, final byte[] nearNonce, final byte[] farNonce)
    {
        this.farSessionId = farSessionId;
        this.protection = protection;
        this.nearNonce = nearNonce;
        this.farNonce = farNonce;
        this.opening = null;
    }

    /**
     * Responder: keep the RIKeying that answered the IIKeying, to answer its retransmissions the same (§3.5.1.1.2).
     *
     * @param skic           the initiator's session key initiator component.
     * @param riKeyingChunk  the encoded RIKeying chunk.
     */
    public void answered(final byte[] skic, final UnsafeBuffer riKeyingChunk)
    {
        this.answeredSkic = skic;
        this.riKeyingChunk = riKeyingChunk;
    }

    /**
     * @return the RIKeying chunk that answered the initiator, or null once the initiator spoke with our keys.
     */
    public UnsafeBuffer riKeyingChunk()
    {
        return riKeyingChunk;
    }

    /**
     * @param farSessionId an IIKeying's initiator session ID.
     * @param certificate  its certificate.
     * @param skic         its session key initiator component.
     * @return true when that IIKeying is a copy of the one this responder session answered.
     */
    public boolean answeredIIKeying(final int farSessionId, final byte[] certificate, final byte[] skic)
    {
        return !initiator && this.farSessionId == farSessionId && Arrays.equals(farCertificate, certificate) &&
            (null == answeredSkic || Arrays.equals(answeredSkic, skic));
    }

    /**
     * @param certificate a certificate.
     * @return true when it is the far end's.
     */
    public boolean hasFarCertificate(final byte[] certificate)
    {
        return Arrays.equals(farCertificate, certificate);
    }

    /**
     * @param buffer holding a certificate.
     * @param offset of it.
     * @param length of it.
     * @return true when it is the far end's.
     */
    public boolean hasFarCertificate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == farCertificate || farCertificate.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (farCertificate[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the far end's certificate, or null before RHello/IIKeying. Do not modify.
     */
    public byte[] farCertificate()
    {
        return farCertificate;
    }

    /**
     * @return the session keys, or null before keying and after release.
     */
    public PacketProtection protection()
    {
        return protection;
    }

    /**
     * @return the transport channel packets to the far end go out on.
     */
    public int channel()
    {
        return channel;
    }

    /**
     * @return true when this end initiated the session.
     */
    public boolean isInitiator()
    {
        return initiator;
    }

    /**
     * @return the identifier {@link RtmfpEndpoint#connect} returned, or 0 for a session this end responded to.
     */
    public long openId()
    {
        return openId;
    }

    /**
     * @return the session ID the far end puts on packets to us.
     */
    public int localSessionId()
    {
        return localSessionId;
    }

    /**
     * @return the session ID we put on packets to the far end.
     */
    public int farSessionId()
    {
        return farSessionId;
    }

    /**
     * @return the far end's address (DESTADDR).
     */
    public InetSocketAddress farAddress()
    {
        return farAddress;
    }

    /**
     * @return the far end's fingerprint (peer ID), 32 bytes, or null before RHello/IIKeying.
     */
    public byte[] farFingerprint()
    {
        if (null == farCertificate)
        {
            return null;
        }
        final Certificate certificate = new Certificate();
        certificate.wrap(new UnsafeBuffer(farCertificate), 0, farCertificate.length);
        return certificate.fingerprint();
    }

    /**
     * @return this end's session nonce (RFC 7425 §4.6.5: HMAC(K, our keying component)), or null before keying; the
     * far end's "far nonce". A server hands its own to the media core for tcserver-style hashed tokens. Do not modify.
     */
    public byte[] nearNonce()
    {
        return nearNonce;
    }

    /**
     * @return the far end's session nonce (HMAC(K, its keying component)), or null before keying. Do not modify.
     */
    public byte[] farNonce()
    {
        return farNonce;
    }
}
