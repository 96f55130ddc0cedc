package io.flowcast.cli;

import io.flowcast.config.CongestionControlKind;
import io.flowcast.config.FlowsConfig;
import io.flowcast.engine.cc.DelaySensitiveCongestionControl;
import io.flowcast.engine.cc.FixedWindowCongestionControl;
import io.flowcast.engine.cc.RfcCongestionControl;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flows.congestion-control} picks the endpoint's strategy.
 */
class ServerFlowsConfigTest
{
    @Test
    void congestionControlKeySelectsTheStrategy()
    {
        assertThat(io.flowcast.engine.server.ServerContext.congestionControl(
            new FlowsConfig(CongestionControlKind.RFC7016, 1 << 20, Duration.ofMillis(25), false)).get())
            .isInstanceOf(RfcCongestionControl.class);
        assertThat(io.flowcast.engine.server.ServerContext.congestionControl(
            new FlowsConfig(CongestionControlKind.DELAY, 1 << 20, Duration.ofMillis(25), false)).get())
            .isInstanceOf(DelaySensitiveCongestionControl.class);
        final var fixed = io.flowcast.engine.server.ServerContext.congestionControl(
            new FlowsConfig(CongestionControlKind.FIXED, 300_000, Duration.ofMillis(25), false)).get();
        assertThat(fixed).isInstanceOf(FixedWindowCongestionControl.class);
        assertThat(fixed.window()).isEqualTo(300_000);
    }
}
