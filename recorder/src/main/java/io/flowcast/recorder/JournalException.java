package io.flowcast.recorder;

/**
 * A journal cannot be opened or read as asked (missing directory, not a journal, unknown stream...). The message is
 * one line meant for a person: it names the thing and the fix.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message one clear line.
     */
    public JournalException(final String message)
    {
        super(message);
    }

    /**
     * @param message one clear line.
     * @param cause   underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
