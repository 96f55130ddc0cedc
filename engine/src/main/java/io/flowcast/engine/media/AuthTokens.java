package io.flowcast.engine.media;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Connect authentication as the reference tcserver does it (its tcserver.md, "Authentication"): with keys set, a
 * client passes after the connect command object either one string, the app-wide token
 * {@code hex(HMAC-SHA256(key, app))}, or two, a user name and the user token {@code hex(HMAC-SHA256(key,
 * user + "@" + app))} (lower-case hex). An RTMFP client may instead send the token hashed once more,
 * {@code hex(HMAC-SHA256(nonce, token))}, keyed with the server's session nonce, so that the token never travels in
 * the clear; over RTMP the token is plain. Any configured key may have made the token. Rare: allocates.
 */
public final class AuthTokens
{
    private static final HexFormat HEX = HexFormat.of();

    private AuthTokens()
    {
    }

    /**
     * @param key     a master key (UTF-8).
     * @param message what it signs: the app, or {@code user@app}.
     * @return the lower-case hex token.
     */
    public static String token(final String key, final String message)
    {
        return HEX.formatHex(hmac(key.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param nonce a session nonce.
     * @param token a plain token.
     * @return the token hashed with the nonce, lower-case hex.
     */
    public static String hashWithNonce(final byte[] nonce, final String token)
    {
        return HEX.formatHex(hmac(nonce, token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param keys  the app's keys; empty: everyone may connect.
     * @param app   the app name as the client gave it.
     * @param user  the user name, or null for an app-wide token.
     * @param token the token presented, or null.
     * @param nonce the server's session nonce an RTMFP client may have hashed the token with, or null (RTMP).
     * @return true when allowed.
     */
    public static boolean verify(
        final List<String> keys, final String app, final String user, final String token, final byte[] nonce)
    {
        return keys.isEmpty() || null != matchingToken(keys, app, user, token, nonce);
    }

    /**
     * @param keys  the app's keys (not empty).
     * @param app   the app name as the client gave it.
     * @param user  the user name, or null for an app-wide token.
     * @param token the token presented, or null.
     * @param nonce the server's session nonce an RTMFP client may have hashed the token with, or null (RTMP).
     * @return the plain token the presented one proves (tcserver hashes it with the client's nonce into the connect
     * reply's {@code authToken}), or null when it proves none.
     */
    public static String matchingToken(
        final List<String> keys, final String app, final String user, final String token, final byte[] nonce)
    {
        if (null == token || null == app)
        {
            return null;
        }
        final String message = null == user ? app : user + "@" + app;
        final byte[] presented = token.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        String match = null;
        for (final String key : keys)
        {
            final String expected = token(key, message);
            boolean ok = MessageDigest.isEqual(presented, expected.getBytes(StandardCharsets.US_ASCII));
            if (null != nonce)
            {
                ok |= MessageDigest.isEqual(
                    presented, hashWithNonce(nonce, expected).getBytes(StandardCharsets.US_ASCII));
            }
            if (ok && null == match)
            {
                match = expected; // every key is still tried: no timing difference by key position
            }
        }
        return match;
    }

    private static byte[] hmac(final byte[] key, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}
