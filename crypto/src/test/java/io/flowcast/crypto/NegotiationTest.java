package io.flowcast.crypto;

import org.junit.jupiter.api.Test;

import static io.flowcast.crypto.Negotiation.*;
import static org.assertj.core.api.Assertions.assertThat;

class NegotiationTest
{
    @Test
    void deployedCombinations()
    {
        // Reference server with itself: both ways.
        assertThat(negotiate(REQUIRED, REQUIRED)).isEqualTo(SEND | RECEIVE);
        // Flash Player (02) initiator against the reference server (07), from each side.
        assertThat(negotiate(SEND_ON_REQUEST, REQUIRED)).isEqualTo(SEND | RECEIVE);
        assertThat(negotiate(REQUIRED, SEND_ON_REQUEST)).isEqualTo(SEND | RECEIVE);
        assertThat(responderFlags(REQUIRED, SEND | RECEIVE)).isEqualTo(0x07);
        // Flash Player against AMS (00): neither way.
        assertThat(negotiate(0, SEND_ON_REQUEST)).isZero();
        assertThat(negotiate(SEND_ON_REQUEST, 0)).isZero();
        // Option absent (0) against one that sends always: receive only.
        assertThat(negotiate(0, WILL_SEND)).isEqualTo(RECEIVE);
        // Relaxed responder forced to send by the initiator's request sets WILL_SEND.
        assertThat(negotiate(ON_REQUEST, REQUEST | SEND_ON_REQUEST)).isEqualTo(SEND);
        assertThat(responderFlags(ON_REQUEST, SEND)).isEqualTo(WILL_SEND | SEND_ON_REQUEST);
    }

    @Test
    void failures()
    {
        assertThat(negotiate(REQUIRED, 0)).isEqualTo(ERROR_FAR_WILL_NOT_SEND);
        assertThat(negotiate(REQUEST, REQUEST)).isEqualTo(ERROR_CANNOT_SEND);
    }
}
