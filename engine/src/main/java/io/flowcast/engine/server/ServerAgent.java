package io.flowcast.engine.server;

import io.flowcast.engine.status.CountersFile;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;

/**
 * The server's own duty, co-located on the RTMFP endpoint's agent thread: the media core, the RFC 7425 adapter, the
 * RTMP listener and any application agents, each guarded so that one that throws is reported and the others still
 * run; and the counters file's heartbeat, about once a second.
 */
final class ServerAgent implements Agent
{
    static final long HEARTBEAT_INTERVAL_MS = 1000;

    private final Agent[] agents;
    private final CountersFile counters;
    private final EpochClock epochClock;
    private final ErrorHandler errorHandler;
    private long lastHeartbeatMs;

    ServerAgent(
        final Agent[] agents, final CountersFile counters, final EpochClock epochClock, final ErrorHandler errorHandler)
    {
        this.agents = agents;
        this.counters = counters;
        this.epochClock = epochClock;
        this.errorHandler = errorHandler;
    }

    @Override
    public void onStart()
    {
        lastHeartbeatMs = epochClock.time();
        counters.heartbeat(lastHeartbeatMs);
        each(true);
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (final Agent agent : agents)
        {
            try
            {
                work += agent.doWork();
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
        final long nowMs = epochClock.time();
        if (nowMs - lastHeartbeatMs >= HEARTBEAT_INTERVAL_MS)
        {
            lastHeartbeatMs = nowMs;
            counters.heartbeat(nowMs);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        each(false);
    }

    private void each(final boolean start)
    {
        for (final Agent agent : agents)
        {
            try
            {
                if (start)
                {
                    agent.onStart();
                }
                else
                {
                    agent.onClose();
                }
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    @Override
    public String roleName()
    {
        return "flowcast-server";
    }
}
