package io.flowcast.codec.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The golden RTMFP session of {@code ../shared/interop} (see its README): 410 real datagrams between programs of the
 * reference implementation, decrypted and decoded, plus every key. Shared by the tests of every module through the
 * codec test-jar.
 */
public final class GoldenSession
{
    /** Number of datagrams in the capture. */
    public static final int DATAGRAM_COUNT = 410;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static List<JsonNode> datagrams;
    private static JsonNode keys;

    private GoldenSession()
    {
    }

    /**
     * @return the {@code shared/} folder beside the checkout: the {@code flowcast.shared.dir} system property (set
     * by the build), else the first {@code shared} folder found beside the working directory or one of its parents.
     */
    public static Path sharedDir()
    {
        final String property = System.getProperty("flowcast.shared.dir");
        if (null != property && Files.isDirectory(Paths.get(property)))
        {
            return Paths.get(property).normalize();
        }

        for (Path dir = Paths.get("").toAbsolutePath(); null != dir; dir = dir.getParent())
        {
            final Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("interop")))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared (the reference material) not found; set -Dflowcast.shared.dir");
    }

    /**
     * @param relative path inside {@code shared/}, e.g. {@code interop/golden-session.pcap}.
     * @return the resolved path.
     */
    public static Path shared(final String relative)
    {
        return sharedDir().resolve(relative);
    }

    /**
     * @return every datagram of {@code golden-session.jsonl}, in capture order (index {@code i}).
     */
    public static synchronized List<JsonNode> datagrams()
    {
        if (null == datagrams)
        {
            final List<JsonNode> list = new ArrayList<>(DATAGRAM_COUNT);
            try (BufferedReader reader = Files.newBufferedReader(
                shared("interop/golden-session.jsonl"), StandardCharsets.UTF_8))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    if (!line.isBlank())
                    {
                        list.add(MAPPER.readTree(line));
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            datagrams = Collections.unmodifiableList(list);
        }
        return datagrams;
    }

    /**
     * @return {@code golden-keys.json}: sessions, DH values, nonces, intermediates and the four keys per session.
     */
    public static synchronized JsonNode keys()
    {
        if (null == keys)
        {
            try
            {
                keys = MAPPER.readTree(shared("interop/golden-keys.json").toFile());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return keys;
    }

    /**
     * @param hex string of hex digits, any case, even length.
     * @return the bytes.
     */
    public static byte[] hex(final String hex)
    {
        final int length = hex.length();
        if ((length & 1) != 0)
        {
            throw new IllegalArgumentException("odd hex length: " + length);
        }
        final byte[] bytes = new byte[length / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return bytes;
    }

    /**
     * @param bytes to print.
     * @return lower-case hex.
     */
    public static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
