package io.flowcast.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayWindowTest
{
    @Test
    void windowOf32BehindTheHighest()
    {
        final ReplayWindow window = new ReplayWindow();
        assertThat(window.check(0)).isEqualTo(ReplayWindow.FRESH);
        window.accept(0);
        assertThat(window.check(0)).isEqualTo(ReplayWindow.REPLAYED);
        window.accept(40);
        assertThat(window.check(8)).isEqualTo(ReplayWindow.TOO_OLD);
        assertThat(window.check(9)).isEqualTo(ReplayWindow.FRESH);
        window.accept(9);
        assertThat(window.check(9)).isEqualTo(ReplayWindow.REPLAYED);
        assertThat(window.check(40)).isEqualTo(ReplayWindow.REPLAYED);
        window.accept(41);
        assertThat(window.check(9)).isEqualTo(ReplayWindow.TOO_OLD);
        assertThat(window.check(40)).isEqualTo(ReplayWindow.REPLAYED);
        assertThat(window.check(-1)).isEqualTo(ReplayWindow.TOO_OLD);
        window.accept(Long.MAX_VALUE);
        assertThat(window.highest()).isEqualTo(Long.MAX_VALUE);
        assertThat(window.check(Long.MAX_VALUE)).isEqualTo(ReplayWindow.REPLAYED);
        assertThat(window.check(Long.MAX_VALUE - 1)).isEqualTo(ReplayWindow.FRESH);
        window.reset();
        assertThat(window.check(0)).isEqualTo(ReplayWindow.FRESH);
    }
}
