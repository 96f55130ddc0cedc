package io.flowcast.recorder;

/**
 * Receives journal messages from a {@link JournalReader}, one at a time, in journal order.
 */
@FunctionalInterface
public interface JournalMessageHandler
{
    /**
     * One message. The view is valid only during this call.
     *
     * @param message zero-copy view of the record.
     */
    void onMessage(JournalMessage message);
}
