package io.flowcast.config;

import java.util.List;

/**
 * What {@link ConfigLoader} returns: the configuration, or every problem found; never both, never an exception.
 * Notes are advice about a valid configuration that may still not be what was meant (e.g. only private
 * addresses advertised).
 */
public final class ConfigResult
{
    private final FlowcastConfig config;
    private final List<ConfigProblem> problems;
    private final List<String> notes;

    ConfigResult(final FlowcastConfig config, final List<ConfigProblem> problems, final List<String> notes)
    {
        this.config = problems.isEmpty() ? config : null;
        this.problems = List.copyOf(problems);
        this.notes = List.copyOf(notes);
    }

    /**
     * @return true when there are no problems and {@link #config()} may be called.
     */
    public boolean isValid()
    {
        return problems.isEmpty();
    }

    /**
     * @return the configuration.
     * @throws IllegalStateException when there are problems: check {@link #isValid()} first.
     */
    public FlowcastConfig config()
    {
        if (null == config)
        {
            throw new IllegalStateException("configuration has " + problems.size() + " problem(s): " + problems);
        }
        return config;
    }

    /**
     * @return every problem, in the order found; empty when valid.
     */
    public List<ConfigProblem> problems()
    {
        return problems;
    }

    /**
     * @return advice lines for a valid configuration.
     */
    public List<String> notes()
    {
        return notes;
    }
}
