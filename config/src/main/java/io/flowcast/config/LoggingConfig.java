package io.flowcast.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Logging.
 *
 * @param level the least severe level written.
 * @param file  the file to append to; empty for standard error.
 */
public record LoggingConfig(LogLevel level, Optional<Path> file, Optional<Path> keylog)
{
}
