package io.flowcast.codec.golden;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoldenSessionTest
{
    @Test
    void loadsEveryDatagramInCaptureOrder()
    {
        assertThat(GoldenSession.datagrams()).hasSize(GoldenSession.DATAGRAM_COUNT);
        for (int i = 0; i < GoldenSession.DATAGRAM_COUNT; i++)
        {
            assertThat(GoldenSession.datagrams().get(i).get("i").asInt()).isEqualTo(i);
        }
    }

    @Test
    void hexRoundTrips()
    {
        final String text = "00ff7f80a5";
        assertThat(GoldenSession.hex(GoldenSession.hex(text))).isEqualTo(text);
    }

    @Test
    void keysNameBothSessions()
    {
        assertThat(GoldenSession.keys().get("sessions")).hasSize(2);
    }
}
