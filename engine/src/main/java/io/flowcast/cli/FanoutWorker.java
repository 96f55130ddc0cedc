package io.flowcast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One generator thread of a {@code bench fanout} run: opens its players' sessions at the join rate, then drives their
 * endpoints. It waits on all their sockets with one selector and runs only the ready endpoints, plus every endpoint
 * each {@link #TIMER_INTERVAL_NS} for its timers: polling hundreds of idle sockets in a loop would take the cores
 * from the server being measured. When the run stops it closes its players' sessions and endpoints.
 */
final class FanoutWorker implements Runnable
{
    /** How long the players wait for the server to acknowledge their sessions' close. */
    static final long CLOSE_WAIT_NS = 2_000_000_000L;

    /** How often every player endpoint runs, for its timers (acknowledgement delay, retransmission, keepalive). */
    static final long TIMER_INTERVAL_NS = 10_000_000;

    private final int index;
    private final FanoutRun run;
    private final List<FanoutPlayer> players = new ArrayList<>();

    /**
     * @param index this worker's number: its first player starts {@code index / joinRate} s after the run's start.
     * @param run   the run.
     */
    FanoutWorker(final int index, final FanoutRun run)
    {
        this.index = index;
        this.run = run;
    }

    int index()
    {
        return index;
    }

    /**
     * @param player one more player for this thread (before it runs).
     */
    void add(final FanoutPlayer player)
    {
        players.add(player);
    }

    @Override
    public void run()
    {
        // the workers take turns: together they start joinRate sessions per second
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) * run.threads / run.joinRate;
        long nextStartNs = System.nanoTime() + index * (TimeUnit.SECONDS.toNanos(1) / run.joinRate);
        long nextTimersNs = System.nanoTime();
        int starting = 0;
        try (Selector selector = Selector.open())
        {
            final Consumer<SelectionKey> ready = key -> ((FanoutPlayer)key.attachment()).step(System.nanoTime());
            int work = 0;
            while (!run.isStopped())
            {
                long now = System.nanoTime();
                if (starting < players.size() && now - nextStartNs >= 0)
                {
                    final FanoutPlayer player = players.get(starting++);
                    player.start();
                    player.register(selector);
                    nextStartNs += intervalNs;
                }
                work = 0 == work ? selector.select(ready, 1) : selector.selectNow(ready);
                now = System.nanoTime();
                if (now - nextTimersNs >= 0)
                {
                    nextTimersNs = now + TIMER_INTERVAL_NS;
                    for (int i = 0; i < starting; i++)
                    {
                        work += players.get(i).step(now);
                    }
                }
                else
                {
                    for (int i = 0; i < starting; i++)
                    {
                        final FanoutPlayer player = players.get(i);
                        if (player.needsStep())
                        {
                            work += player.step(now);
                        }
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            close(starting);
        }
    }

    private void close(final int started)
    {
        // close the sessions in order, so the server frees them now rather than at its idle timeout
        for (final FanoutPlayer player : players)
        {
            player.closeSession();
        }
        final long deadline = System.nanoTime() + CLOSE_WAIT_NS;
        while (System.nanoTime() - deadline < 0 && !allClosed())
        {
            for (int i = 0; i < started; i++)
            {
                players.get(i).step(System.nanoTime());
            }
            LockSupport.parkNanos(FanoutBench.IDLE_PARK_NS);
        }
        for (final FanoutPlayer player : players)
        {
            player.close();
        }
    }

    private boolean allClosed()
    {
        for (final FanoutPlayer player : players)
        {
            if (!player.closed())
            {
                return false;
            }
        }
        return true;
    }
}
