package io.flowcast.config;

/**
 * Our policy for a negotiated packet protection (HMAC, session sequence numbers). The RFC 7425 flag byte each policy
 * becomes (notes 4.10) is crypto's business: the engine maps these onto {@code io.flowcast.crypto.Negotiation}, so
 * the wire values are defined in one place.
 */
public enum Negotiation
{
    /** Always send it and require the far end to send it. */
    REQUIRED,
    /** Send it only when the far end asks, and do not ask. */
    ON_REQUEST,
    /** Never send it and never ask. */
    OFF
}
