package io.flowcast.engine.startup;

import io.flowcast.engine.endpoint.SessionTable;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.SessionOwner;
import io.flowcast.engine.session.SessionServices;

/**
 * What startup ({@link StartupSession}) needs from its endpoint, and all it gets: the shared services, the session
 * table, and word of an opening refused before it had a session. Sessions it creates and keys report the rest
 * themselves ({@link SessionOwner}). Implemented by the endpoint agent; agent thread only.
 */
public interface StartupHost
{
    /**
     * @return the endpoint's shared services (writer, timers, clock, counters, configuration).
     */
    SessionServices services();

    /**
     * @return the endpoint's sessions.
     */
    SessionTable sessions();

    /**
     * An opening was refused before it had a session (a limit).
     *
     * @param openId the opening's identifier.
     * @param reason why.
     */
    void onOpenFailed(long openId, CloseReason reason);
}
