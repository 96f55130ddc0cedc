package io.flowcast.recorder;

/**
 * Receives a journal message and decides whether it is consumed, like Aeron's {@code ControlledFragmentHandler}:
 * {@link Action#ABORT} leaves the message in place so the next read sees it again (used to pace a replay).
 */
@FunctionalInterface
public interface ControlledJournalMessageHandler
{
    /** What to do with the message just seen. */
    enum Action
    {
        /** The message is consumed; the reader moves past it. */
        CONTINUE,
        /** The message is not consumed; the next read returns it again. */
        ABORT
    }

    /**
     * @param message zero-copy view, valid only during this call.
     * @return whether it was consumed.
     */
    Action onMessage(JournalMessage message);
}
