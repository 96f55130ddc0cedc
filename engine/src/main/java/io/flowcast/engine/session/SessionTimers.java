package io.flowcast.engine.session;

import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.CachedNanoClock;

import java.util.concurrent.TimeUnit;

import static org.agrona.DeadlineTimerWheel.NULL_DEADLINE;

/**
 * One timer per session on one {@link DeadlineTimerWheel}: the session's next deadline (handshake retransmission,
 * keepalive, dead peer, close, or the earliest flow alarm). On expiry the session applies the rule of its state
 * ({@link Session#onTimer()}) and schedules its next deadline. Agent thread only.
 */
public final class SessionTimers implements DeadlineTimerWheel.TimerHandler
{
    private static final int POLL_LIMIT = 256;
    /** How often a busy agent polls the wheel (whose ticks are 2^20 ns). */
    private static final long POLL_INTERVAL_NS = 250_000;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<Session> sessionsByTimer = new Long2ObjectHashMap<>();
    private final CachedNanoClock clock;
    private long nextPollNs;

    SessionTimers(final CachedNanoClock clock)
    {
        this.clock = clock;
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, clock.nanoTime(), 1L << 20, 512);
    }

    /**
     * Fire the timers due by {@code nowNs}.
     *
     * @param nowNs the duty cycle's time.
     * @return timers fired.
     */
    public int poll(final long nowNs)
    {
        if (0 == wheel.timerCount())
        {
            wheel.currentTickTime(nowNs);
            return 0;
        }
        // the wheel scans its whole current tick on every poll; its resolution is ~1 ms, so a busy agent polls it
        // every POLL_INTERVAL_NS rather than on every duty cycle (again at once while timers are expiring)
        if (nowNs - nextPollNs < 0)
        {
            return 0;
        }
        final int expired = wheel.poll(nowNs, this, POLL_LIMIT);
        nextPollNs = expired > 0 ? nowNs : nowNs + POLL_INTERVAL_NS;
        return expired;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final Session session = sessionsByTimer.remove(timerId);
        if (null != session && session.timerId == timerId)
        {
            session.timerId = NULL_DEADLINE;
            session.timerDeadlineNs = Long.MAX_VALUE;
            session.onTimer();
        }
        return true;
    }

    /**
     * Replace the session's timer by one at {@code deadlineNs} (at the earliest the next tick).
     *
     * @param session    the session.
     * @param deadlineNs when.
     */
    public void schedule(final Session session, final long deadlineNs)
    {
        cancel(session);
        final long deadline = Math.max(deadlineNs, clock.nanoTime() + 1);
        final long timerId = wheel.scheduleTimer(deadline);
        session.timerId = timerId;
        session.timerDeadlineNs = deadline;
        sessionsByTimer.put(timerId, session);
    }

    /**
     * Make sure an open session's timer fires by {@code deadlineNs} (flows call it for their alarms).
     *
     * @param session    the session.
     * @param deadlineNs when, at the latest.
     */
    public void ensure(final Session session, final long deadlineNs)
    {
        if (deadlineNs < session.timerDeadlineNs && SessionState.OPEN == session.state())
        {
            schedule(session, deadlineNs);
        }
    }

    /**
     * @param session the session whose timer, if any, is cancelled.
     */
    public void cancel(final Session session)
    {
        if (NULL_DEADLINE != session.timerId)
        {
            wheel.cancelTimer(session.timerId);
            sessionsByTimer.remove(session.timerId);
            session.timerId = NULL_DEADLINE;
            session.timerDeadlineNs = Long.MAX_VALUE;
        }
    }
}
