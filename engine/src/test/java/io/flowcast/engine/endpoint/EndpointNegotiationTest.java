package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ours↔ours startup on every Diffie-Hellman group, and every HMAC / session sequence number policy pairing
 * (required, on request, off on each side): the pairings where one side requires what the other will not send must
 * fail with a counted keying failure at the responder (which stays silent, RFC 7425 §4.8) and an open timeout at the
 * initiator; the others open and carry Pings both ways.
 */
@Tag("slow")
@Timeout(60)
class EndpointNegotiationTest
{
    static final int OFF = 0;

    static SessionKeying keying(final long groups, final int hmac, final int sseq, final boolean server)
    {
        return new SessionKeying(EndpointHandshakeTest.RANDOM, groups, null, hmac,
            DirectionKeys.DEFAULT_HMAC_LENGTH, sseq, server, null);
    }

    /** One handshake; returns the client's session (pinged once both ways) or null when it did not open. */
    static Session handshake(
        final SessionKeying serverKeying, final SessionKeying clientKeying, final long openTimeoutMs,
        final RecordingListener clientEvents, final long[] serverKeyingFailures) throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0)).keying(serverKeying).listener(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0)).keying(clientKeying).acceptIncoming(false)
                .helloInterval(200, TimeUnit.MILLISECONDS).openTimeout(openTimeoutMs, TimeUnit.MILLISECONDS)
                .listener(clientEvents)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session opened = clientEvents.opened.poll(openTimeoutMs + 5_000, TimeUnit.MILLISECONDS);
            serverKeyingFailures[0] = server.counters().handshakesKeyingFailed.get();
            if (null == opened)
            {
                return null;
            }
            assertThat(serverEvents.awaitOpened()).isNotNull();
            client.ping(opened);
            final long[] replies = { 0 };
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (0 == replies[0] && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
                client.execute(() -> replies[0] = opened.pingRepliesReceived());
            }
            assertThat(replies[0]).as("Ping answered: both directions verify and decrypt").isEqualTo(1);
            return opened;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 5, 14, 16 })
    void opensOnEveryDiffieHellmanGroup(final int group) throws Exception
    {
        final RecordingListener clientEvents = new RecordingListener();
        final long[] failures = { -1 };
        final Session session = handshake(
            keying(1L << group, Negotiation.REQUIRED, Negotiation.REQUIRED, true),
            keying(1L << group, Negotiation.REQUIRED, Negotiation.REQUIRED, false), 20_000, clientEvents, failures);
        assertThat(session).as("group " + group).isNotNull();
        assertThat(failures[0]).isZero();
    }

    @Test
    void noCommonGroupFailsAtTheInitiatorAndIsCounted() throws Exception
    {
        final RecordingListener clientEvents = new RecordingListener();
        final RecordingListener serverEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(keying(1L << 14, Negotiation.REQUIRED, Negotiation.REQUIRED, true)).listener(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .keying(keying(1L << 2, Negotiation.REQUIRED, Negotiation.REQUIRED, false)).acceptIncoming(false)
                .listener(clientEvents)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            assertThat(clientEvents.awaitFailed()).isEqualTo(CloseReason.NO_COMMON_GROUP);
            assertThat(client.counters().handshakesKeyingFailed.get()).isEqualTo(1);
            assertThat(client.openSessions()).isZero();
        }
    }

    static Stream<Arguments> policyPairs()
    {
        final int[] policies = { Negotiation.REQUIRED, Negotiation.ON_REQUEST, OFF };
        final List<Arguments> pairs = new ArrayList<>();
        for (final String feature : new String[] { "hmac", "sseq" })
        {
            for (final int initiator : policies)
            {
                for (final int responder : policies)
                {
                    // fails exactly when one side requires it and the other will not send it even on request
                    final boolean fails = (Negotiation.REQUIRED == initiator && OFF == responder) ||
                        (OFF == initiator && Negotiation.REQUIRED == responder);
                    pairs.add(Arguments.of(feature, initiator, responder, fails));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0}: initiator {1}, responder {2}, fails {3}")
    @MethodSource("policyPairs")
    void hmacAndSequenceNumberPolicies(
        final String feature, final int initiator, final int responder, final boolean fails) throws Exception
    {
        final long group = 1L << 2;
        final boolean hmac = "hmac".equals(feature);
        final SessionKeying serverKeying = hmac ?
            keying(group, responder, Negotiation.REQUIRED, true) : keying(group, Negotiation.REQUIRED, responder, true);
        final SessionKeying clientKeying = hmac ?
            keying(group, initiator, Negotiation.REQUIRED, false) : keying(group, Negotiation.REQUIRED, initiator, false);
        final RecordingListener clientEvents = new RecordingListener();
        final long[] failures = { -1 };
        final Session session = handshake(serverKeying, clientKeying, fails ? 1_000 : 10_000, clientEvents, failures);
        if (fails)
        {
            assertThat(session).isNull();
            assertThat(failures[0]).as("responder keying failures").isGreaterThanOrEqualTo(1);
            assertThat(clientEvents.awaitFailed()).isEqualTo(CloseReason.OPEN_TIMEOUT);
        }
        else
        {
            assertThat(session).isNotNull();
            assertThat(failures[0]).isZero();
        }
    }
}
