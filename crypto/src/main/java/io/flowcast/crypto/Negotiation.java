package io.flowcast.crypto;

/**
 * HMAC and session-sequence-number negotiation (notes §4.10): options 0x1A and 0x1E of the keying components carry
 * one flag byte each. Per direction: the far end's REQUEST makes this end send (it fails if it cannot), the far
 * end's WILL_SEND makes this end expect it, and this end's REQUEST fails when the far end offers neither.
 */
public final class Negotiation
{
    /** "I will always send". */
    public static final int WILL_SEND = 0x04;
    /** "I will send if you request it". */
    public static final int SEND_ON_REQUEST = 0x02;
    /** "I request (require) that you send". */
    public static final int REQUEST = 0x01;
    /** Policy of the reference server and Flowcast's default: send always, and require the far end to send. */
    public static final int REQUIRED = WILL_SEND | SEND_ON_REQUEST | REQUEST;
    /** Policy that sends only when asked and asks nothing (AMS-compatible relaxed mode). */
    public static final int ON_REQUEST = SEND_ON_REQUEST;

    /** Outcome bit: this end sends the feature. */
    public static final int SEND = 1;
    /** Outcome bit: this end receives (expects and verifies) the feature. */
    public static final int RECEIVE = 2;
    /** The far end requires something this end cannot send. */
    public static final int ERROR_CANNOT_SEND = -1;
    /** This end requires something the far end does not offer. */
    public static final int ERROR_FAR_WILL_NOT_SEND = -2;

    private Negotiation()
    {
    }

    /**
     * @param nearFlags this end's policy flags.
     * @param farFlags  the far end's flags (0 when its option is absent).
     * @return {@link #SEND} | {@link #RECEIVE} bits, or a negative error code (keying fails, stay silent).
     */
    public static int negotiate(final int nearFlags, final int farFlags)
    {
        final boolean nearCanSend = (nearFlags & (WILL_SEND | SEND_ON_REQUEST)) != 0;
        final boolean farCanSend = (farFlags & (WILL_SEND | SEND_ON_REQUEST)) != 0;
        if ((farFlags & REQUEST) != 0 && !nearCanSend)
        {
            return ERROR_CANNOT_SEND;
        }
        if ((nearFlags & REQUEST) != 0 && !farCanSend)
        {
            return ERROR_FAR_WILL_NOT_SEND;
        }
        final boolean send = (nearFlags & WILL_SEND) != 0 || (farFlags & REQUEST) != 0;
        final boolean receive = (farFlags & WILL_SEND) != 0 || (nearFlags & REQUEST) != 0;
        return (send ? SEND : 0) | (receive ? RECEIVE : 0);
    }

    /**
     * @param nearFlags this end's policy flags.
     * @param outcome   a non-negative result of {@link #negotiate(int, int)}.
     * @return the flags a responder puts in SKRC: its policy, plus WILL_SEND when the initiator made it send.
     */
    public static int responderFlags(final int nearFlags, final int outcome)
    {
        return nearFlags | ((outcome & SEND) != 0 ? WILL_SEND : 0);
    }
}
