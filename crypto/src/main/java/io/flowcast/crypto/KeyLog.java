package io.flowcast.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Flowcast key log (written by the engine when {@code FLOWCAST_KEYLOG=FILE} is set), one line per direction of
 * a session, {@code #} starting a comment line:
 *
 * <pre>
 *   RTMFP_KEYS &lt;session-id-hex&gt; &lt;aes-key-hex&gt; &lt;hmac-key-hex or -&gt;
 * </pre>
 *
 * Datagrams whose unscrambled session ID (the 4 bytes as on the wire) equals {@code session-id-hex} are decrypted
 * with that AES key and verified with that HMAC key, or with the checksum where the key is {@code -}.
 */
public final class KeyLog
{
    /** First field of every key line. */
    public static final String LABEL = "RTMFP_KEYS";

    private KeyLog()
    {
    }

    /**
     * One key line.
     */
    public static final class Entry
    {
        private final int lineNumber;
        private final int sessionId;
        private final byte[] aesKey;
        private final byte[] hmacKey;

        /**
         * @param lineNumber line it came from (0 when built in code).
         * @param sessionId  session ID bytes as a big-endian int.
         * @param aesKey     16-byte AES key.
         * @param hmacKey    HMAC key, or null when the checksum is used.
         */
        public Entry(final int lineNumber, final int sessionId, final byte[] aesKey, final byte[] hmacKey)
        {
            this.lineNumber = lineNumber;
            this.sessionId = sessionId;
            this.aesKey = aesKey.clone();
            this.hmacKey = null == hmacKey ? null : hmacKey.clone();
        }

        /**
         * @return the line number in the parsed file, 1-based.
         */
        public int lineNumber()
        {
            return lineNumber;
        }

        /**
         * @return the session ID bytes as a big-endian int (as {@code Multiplex.sessionId} returns).
         */
        public int sessionId()
        {
            return sessionId;
        }

        /**
         * @return the AES key (a copy).
         */
        public byte[] aesKey()
        {
            return aesKey.clone();
        }

        /**
         * @return the HMAC key (a copy), or null for the checksum.
         */
        public byte[] hmacKey()
        {
            return null == hmacKey ? null : hmacKey.clone();
        }

        byte[] aesKeyInternal()
        {
            return aesKey;
        }

        byte[] hmacKeyInternal()
        {
            return hmacKey;
        }

        /**
         * @return the line as written.
         */
        public String toLine()
        {
            return line(sessionId, aesKey, hmacKey);
        }
    }

    /**
     * A malformed key log, with the line at fault.
     */
    public static final class ParseException extends Exception
    {
        private static final long serialVersionUID = 1L;
        private final int lineNumber;

        ParseException(final int lineNumber, final String message)
        {
            super("key log line " + lineNumber + ": " + message);
            this.lineNumber = lineNumber;
        }

        /**
         * @return 1-based line number.
         */
        public int lineNumber()
        {
            return lineNumber;
        }
    }

    /**
     * Appends the keys of each session to a key log file, one flushed line per direction; safe to call from any
     * thread (handshakes are rare). Secrets go to disk: only for debugging, and only when a person asked for it.
     */
    public static final class Writer implements java.io.Closeable
    {
        private final java.io.Writer out;
        private final java.nio.file.Path path;

        /**
         * @param path file to append to (created if needed).
         * @throws IOException when it cannot be opened.
         */
        public Writer(final java.nio.file.Path path) throws IOException
        {
            this.path = path;
            this.out = java.nio.file.Files.newBufferedWriter(path, java.nio.charset.StandardCharsets.US_ASCII,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }

        /**
         * @return the file written.
         */
        public java.nio.file.Path path()
        {
            return path;
        }

        /**
         * Log both directions of a session.
         *
         * @param comment           short text for a {@code #} line before the keys (e.g. addresses), or null.
         * @param sendSessionId     session ID carried by packets this end sends (the far end's ID).
         * @param sendKeys          keys of what this end sends.
         * @param receiveSessionId  session ID carried by packets this end receives (its own ID).
         * @param receiveKeys       keys of what this end receives.
         */
        public synchronized void session(
            final String comment,
            final int sendSessionId,
            final DirectionKeys sendKeys,
            final int receiveSessionId,
            final DirectionKeys receiveKeys)
        {
            try
            {
                if (null != comment)
                {
                    out.append("# ").append(comment.replace('\n', ' ').replace('\r', ' ')).append('\n');
                }
                write(out, sendSessionId, sendKeys);
                write(out, receiveSessionId, receiveKeys);
                out.flush();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        public synchronized void close() throws IOException
        {
            out.close();
        }
    }

    /**
     * @param sessionId session ID bytes as a big-endian int.
     * @param aesKey    AES key.
     * @param hmacKey   HMAC key or null.
     * @return the key line, without a line terminator.
     */
    public static String line(final int sessionId, final byte[] aesKey, final byte[] hmacKey)
    {
        return LABEL + ' ' + String.format("%08x", sessionId) + ' ' + hex(aesKey) + ' ' +
            (null == hmacKey ? "-" : hex(hmacKey));
    }

    /**
     * Append one direction's line.
     *
     * @param out       destination (the engine's key log file writer).
     * @param sessionId the session ID that packets of this direction carry.
     * @param keys      the direction's keys.
     */
    public static void write(final Appendable out, final int sessionId, final DirectionKeys keys)
    {
        try
        {
            out.append(line(sessionId, keys.aesKeyInternal(), keys.hmacKeyInternal())).append('\n');
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param reader the key log.
     * @return its entries in order.
     * @throws ParseException naming the first bad line.
     * @throws IOException    when reading fails.
     */
    public static List<Entry> parse(final Reader reader) throws ParseException, IOException
    {
        final List<Entry> entries = new ArrayList<>();
        final BufferedReader lines = reader instanceof BufferedReader ? (BufferedReader)reader :
            new BufferedReader(reader);
        String line;
        int number = 0;
        while (null != (line = lines.readLine()))
        {
            number++;
            final String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            final String[] fields = trimmed.split("\\s+");
            if (!LABEL.equals(fields[0]))
            {
                throw new ParseException(number, "expected '" + LABEL + "', found '" + fields[0] + "'");
            }
            if (4 != fields.length)
            {
                throw new ParseException(number, "expected 4 fields '" + LABEL +
                    " <session-id-hex> <aes-key-hex> <hmac-key-hex or ->', found " + fields.length);
            }
            final byte[] sessionId = parseHex(number, "session ID", fields[1]);
            if (4 != sessionId.length)
            {
                throw new ParseException(number, "session ID must be 8 hex digits, found '" + fields[1] + "'");
            }
            final byte[] aesKey = parseHex(number, "AES key", fields[2]);
            if (Aes128Cbc.KEY_LENGTH != aesKey.length)
            {
                throw new ParseException(number, "AES key must be 32 hex digits, found " + fields[2].length());
            }
            byte[] hmacKey = null;
            if (!"-".equals(fields[3]))
            {
                hmacKey = parseHex(number, "HMAC key", fields[3]);
                if (0 == hmacKey.length)
                {
                    throw new ParseException(number, "HMAC key is empty; write '-' for the checksum");
                }
            }
            entries.add(new Entry(number, java.nio.ByteBuffer.wrap(sessionId).getInt(), aesKey, hmacKey));
        }
        return Collections.unmodifiableList(entries);
    }

    private static byte[] parseHex(final int line, final String what, final String hex) throws ParseException
    {
        if ((hex.length() & 1) != 0)
        {
            throw new ParseException(line, what + " has an odd number of hex digits: '" + hex + "'");
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            final int hi = Character.digit(hex.charAt(2 * i), 16);
            final int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new ParseException(line, what + " is not hex: '" + hex + "'");
            }
            bytes[i] = (byte)((hi << 4) | lo);
        }
        return bytes;
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
