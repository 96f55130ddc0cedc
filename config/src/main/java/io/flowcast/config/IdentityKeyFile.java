package io.flowcast.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The server identity key file: {@value #SEED_LENGTH} random bytes, made once and kept, from which the server
 * certificate (and so its fingerprint) is built, so the fingerprint survives restarts.
 * <p>
 * Format: the header line {@value #HEADER}, then the bytes as one line of lower-case hex. Created atomically
 * (written to a temporary file, then linked into place, never replacing an existing file) with permissions 0600;
 * a file that group or others can read or write is refused.
 */
public final class IdentityKeyFile
{
    /** Bytes of key material in the file. */
    public static final int SEED_LENGTH = 64;

    /** The first line of the file. */
    public static final String HEADER = "# flowcast identity key v1: keep private (chmod 600); deleting it changes " +
        "the server fingerprint";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private IdentityKeyFile()
    {
    }

    /**
     * Why the identity key file cannot be used, said for a person.
     */
    public static final class IdentityKeyException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        IdentityKeyException(final String message)
        {
            super(message);
        }
    }

    /**
     * Read the key file, creating it with fresh random bytes when it does not exist.
     *
     * @param file   the key file.
     * @param random the source of the bytes when creating.
     * @return a copy of the {@value #SEED_LENGTH} bytes.
     * @throws IdentityKeyException when the file is unsafe, malformed or cannot be read or written.
     */
    public static byte[] loadOrCreate(final Path file, final SecureRandom random)
    {
        if (!Files.exists(file))
        {
            final byte[] seed = new byte[SEED_LENGTH];
            random.nextBytes(seed);
            if (create(file, seed))
            {
                return seed;
            }
            // Another process created it first: use theirs, so every process agrees.
        }
        return load(file);
    }

    /**
     * Read an existing key file.
     *
     * @param file the key file.
     * @return a copy of the {@value #SEED_LENGTH} bytes.
     * @throws IdentityKeyException when it is missing, unsafe or malformed.
     */
    public static byte[] load(final Path file)
    {
        try
        {
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            final Set<PosixFilePermission> others = Set.of(
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
            for (final PosixFilePermission permission : permissions)
            {
                if (others.contains(permission))
                {
                    throw new IdentityKeyException("identity key file " + file + " is accessible by group or others " +
                        "(" + PosixFilePermissions.toString(permissions) + "); anyone who reads it can impersonate " +
                        "this server. Run: chmod 600 " + file);
                }
            }
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !HEADER.equals(lines.get(0)) || !lines.get(1).matches("[0-9a-f]{128}"))
            {
                throw new IdentityKeyException("identity key file " + file + " is not a Flowcast identity key " +
                    "(expected the header line and 128 hex digits); move it away and a new identity is made on " +
                    "next start (the fingerprint changes)");
            }
            return HexFormat.of().parseHex(lines.get(1));
        }
        catch (final NoSuchFileException ex)
        {
            throw new IdentityKeyException("identity key file " + file + " does not exist");
        }
        catch (final UnsupportedOperationException ex)
        {
            throw new IdentityKeyException("identity key file " + file + " is on a file system without POSIX " +
                "permissions, so it cannot be kept private; set identity.key-file to a path on a POSIX file system");
        }
        catch (final IOException ex)
        {
            throw new IdentityKeyException("cannot read identity key file " + file + ": " + ex.getMessage());
        }
    }

    private static boolean create(final Path file, final byte[] seed)
    {
        final Path absolute = file.toAbsolutePath();
        final Path dir = absolute.getParent();
        Path temp = null;
        try
        {
            temp = Files.createTempFile(dir, ".flowcast-identity", ".tmp", PosixFilePermissions.asFileAttribute(
                OWNER_ONLY));
            Files.writeString(temp, HEADER + "\n" + HexFormat.of().formatHex(seed) + "\n", StandardCharsets.UTF_8);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                temp, java.nio.file.StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            try
            {
                Files.createLink(absolute, temp); // atomic, and fails rather than replace an existing file
            }
            catch (final UnsupportedOperationException ex)
            {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            }
            return true;
        }
        catch (final FileAlreadyExistsException ex)
        {
            return false;
        }
        catch (final UnsupportedOperationException ex)
        {
            throw new IdentityKeyException("identity key file " + file + " is on a file system without POSIX " +
                "permissions, so it cannot be kept private; set identity.key-file to a path on a POSIX file system");
        }
        catch (final IOException ex)
        {
            throw new IdentityKeyException("cannot create identity key file " + file + ": " + ex +
                "; check that the directory exists and is writable, or set identity.key-file");
        }
        finally
        {
            if (null != temp)
            {
                try
                {
                    Files.deleteIfExists(temp);
                }
                catch (final IOException ignore)
                {
                    // best effort: a stray temporary file is harmless
                }
            }
        }
    }
}
