package io.flowcast.engine;

import io.flowcast.crypto.Negotiation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerIdentityTest
{
    @Test
    void negotiationFlagsMirrorRfc7425()
    {
        // notes 4.10: 0x04 will always send, 0x02 will send on request, 0x01 require; "required" is what tcserver
        // sends (07 in the golden SKIC/SKRC)
        assertThat(ServerIdentity.negotiationFlags(io.flowcast.config.Negotiation.REQUIRED))
            .isEqualTo(Negotiation.WILL_SEND | Negotiation.SEND_ON_REQUEST | Negotiation.REQUEST)
            .isEqualTo(0x07);
        assertThat(ServerIdentity.negotiationFlags(io.flowcast.config.Negotiation.ON_REQUEST))
            .isEqualTo(Negotiation.SEND_ON_REQUEST);
        assertThat(ServerIdentity.negotiationFlags(io.flowcast.config.Negotiation.OFF)).isZero();
    }
}
