package io.flowcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a person writes, the loader answers with problems, never an exception.
 */
class ConfigRobustnessTest
{
    private static final List<String> WRONG_VALUES = List.of("null", "{ a = 1 }", "[[1]]", "\"x\"", "-7", "[]", "\"\"");

    @TempDir
    Path dir;

    @Test
    void everyKeyWithEveryWrongShapeGivesProblemsNotExceptions()
    {
        final List<String> keys = new ArrayList<>(ConfigLoader.knownKeys());
        keys.add("apps.live.auth-keys");
        for (final String key : keys)
        {
            for (final String value : WRONG_VALUES)
            {
                final String text = key + " = " + value;
                final ConfigResult result = ConfigFixture.load(ConfigFixture.write(dir, text));
                assertThat(result).as(text).isNotNull();
                if ("null".equals(value))
                {
                    assertThat(result.problems()).as(text).isNotEmpty();
                }
                for (final ConfigProblem problem : result.problems())
                {
                    assertThat(problem.format()).as(text).doesNotContain("\n").doesNotContain("Exception");
                }
            }
        }
    }

    @Test
    void sectionsReplacedByValuesGiveProblems()
    {
        for (final String text : List.of("rtmfp = 5", "apps = []", "apps.live = 5", "app-defaults = 1",
            "app-defaults.publish = \"x\"", "limits = null", "crypto.dh-groups = { a = 1 }"))
        {
            final ConfigResult result = ConfigFixture.load(ConfigFixture.write(dir, text));
            assertThat(result.problems()).as(text).isNotEmpty();
        }
    }

    @Test
    void aWrongShapeIsOneProblemNotACascade()
    {
        final Path file = ConfigFixture.write(dir, "rtmfp = 5\ncrypto.dh-groups = [[2]]\nrtmp.bind = [[1]]");
        assertThat(ConfigFixture.load(file).problems()).containsExactly(
            new ConfigProblem("rtmfp", "5", "must be a section, not a single value",
                "write rtmfp { ... } or rtmfp.KEY = VALUE", file.toString(), 1),
            new ConfigProblem("crypto.dh-groups", "[[2]]", "every element must be a single value",
                "write a list such as [\"a\", \"b\"]", file.toString(), 2),
            new ConfigProblem("rtmp.bind", "[[1]]", "every element must be a single value",
                "write a list such as [\"a\", \"b\"]", file.toString(), 3));
    }

    @Test
    void nullIsAProblemNamingTheKey()
    {
        final Path file = ConfigFixture.write(dir, "rtmfp.port = null");
        assertThat(ConfigFixture.load(file).problems()).containsExactly(new ConfigProblem("rtmfp.port", "null",
            "is null", "give it a value, or remove it to use the default", file.toString(), 1));
    }
}
