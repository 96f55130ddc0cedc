package io.flowcast.config;

/**
 * How agents are scheduled onto threads (as in Aeron).
 */
public enum ThreadingMode
{
    /** One thread runs every agent: best on small machines. */
    SHARED,
    /** Receiver, session and sender agents each on their own thread, joined by lock-free rings. */
    DEDICATED,
    /** No threads: the application calls the agents' duty cycle itself. */
    INVOKER
}
