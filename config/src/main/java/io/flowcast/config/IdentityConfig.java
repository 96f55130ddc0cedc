package io.flowcast.config;

import java.nio.file.Path;

/**
 * The server's persistent identity.
 *
 * @param keyFile the identity key file read (or created) by {@link IdentityKeyFile}.
 */
public record IdentityConfig(Path keyFile)
{
}
