package io.flowcast.config;

/**
 * Our policy for a negotiated packet protection (HMAC, session sequence numbers), as the flag byte of the
 * RFC 7425 negotiation options {@code 0x1A} and {@code 0x1E} expresses it (notes 4.10): {@code 0x04} will always
 * send, {@code 0x02} will send on request, {@code 0x01} request (require) that the far end sends.
 */
public enum Negotiation
{
    /** Always send it and require the far end to send it: flags {@code 0x04 | 0x01}. */
    REQUIRED(0x05),
    /** Send it only when the far end asks, and do not ask: flags {@code 0x02}. */
    ON_REQUEST(0x02),
    /** Never send it and never ask: flags {@code 0x00}. */
    OFF(0x00);

    /** RFC 7425 flag: will always send. */
    public static final int WILL_SEND = 0x04;
    /** RFC 7425 flag: will send on request. */
    public static final int SEND_ON_REQUEST = 0x02;
    /** RFC 7425 flag: request (require) that the far end sends. */
    public static final int REQUEST = 0x01;

    private final int flags;

    Negotiation(final int flags)
    {
        this.flags = flags;
    }

    /**
     * @return the RFC 7425 negotiation flag byte for this policy.
     */
    public int flags()
    {
        return flags;
    }
}
