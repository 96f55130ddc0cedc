package io.flowcast.config;

/**
 * How often the recorder starts a new journal file ({@code recorder.roll-cycle}); retention deletes whole files. The
 * recorder maps each to a Chronicle Queue roll cycle (an engine test keeps the two lists equal).
 */
public enum RollCycle
{
    FIVE_MINUTELY,
    TEN_MINUTELY,
    HALF_HOURLY,
    HOURLY,
    TWO_HOURLY,
    FOUR_HOURLY,
    SIX_HOURLY,
    DAILY,
    WEEKLY,
    LARGE_HOURLY,
    LARGE_DAILY
}
