package io.flowcast.config;

/**
 * Threading of the agents.
 *
 * @param mode         how agents map onto threads.
 * @param idleStrategy what an idle agent thread does.
 */
public record ThreadingConfig(ThreadingMode mode, IdleStrategyKind idleStrategy)
{
}
