package io.flowcast.config;

import java.util.List;

/**
 * RFC 7425 crypto requirements.
 *
 * @param hmac                   packet HMAC policy (notes 4.4, 4.10).
 * @param hmacLength             HMAC bytes we send, 4..32.
 * @param sessionSequenceNumbers session sequence number policy (notes 4.5, 4.10).
 * @param dhGroups               accepted Diffie-Hellman groups in preference order; always contains 2.
 */
public record CryptoConfig(Negotiation hmac, int hmacLength, Negotiation sessionSequenceNumbers,
    List<Integer> dhGroups)
{
    /** Diffie-Hellman groups RFC 7425 peers use (IKE numbering): 1024, 1536, 2048 and 4096-bit MODP. */
    public static final List<Integer> KNOWN_DH_GROUPS = List.of(2, 5, 14, 16);

    /**
     * @param hmac                   HMAC policy.
     * @param hmacLength             HMAC length.
     * @param sessionSequenceNumbers SSEQ policy.
     * @param dhGroups               DH groups.
     */
    public CryptoConfig
    {
        dhGroups = List.copyOf(dhGroups);
    }
}
