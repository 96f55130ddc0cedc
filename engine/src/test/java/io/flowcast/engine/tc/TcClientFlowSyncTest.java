package io.flowcast.engine.tc;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.codec.tc.TcMessageFlyweight;
import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7425 §5.2 Flow Sync at our client: a status sent on a stream's data flow after a sync is delivered only once the
 * same sync ID was seen on the other flow, i.e. after the media queued before it there; a sync that never completes
 * releases its flow after {@link TcClient#SYNC_TIMEOUT_NS}. A scripted server and the client run in invoker mode on
 * this thread, so which flow's messages go out first is under the test's control.
 */
@Tag("slow")
@Timeout(60)
class TcClientFlowSyncTest
{
    private final List<String> delivered = new ArrayList<>();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
    private SendFlow data;
    private SendFlow audio;
    private RtmfpEndpoint server;
    private RtmfpEndpoint client;

    private final TcClient.Listener listener = new TcClient.Listener()
    {
        @Override
        public void onConnect(final boolean success, final String code, final String description)
        {
        }

        @Override
        public void onStreamCreated(final int streamId)
        {
        }

        @Override
        public void onStatus(final int streamId, final String level, final String code, final String description)
        {
            delivered.add(code);
        }

        @Override
        public void onMedia(final int streamId, final int type, final int timestamp, final DirectBuffer buffer,
            final int offset, final int length)
        {
            delivered.add("media " + type + "@" + timestamp);
        }
    };

    @Test
    void statusAfterASyncWaitsForTheMediaBeforeItOnTheOtherFlow() throws Exception
    {
        final TcClient tc = open();
        try
        {
            // the data flow's sync and status go out first; the audio and its sync a moment later
            offer(data, sync(7, 2));
            offer(data, status("NetStream.Play.UnpublishNotify"));
            pump(() -> data.bytesQueued() == 0, 10);
            pumpFor(300);
            assertThat(delivered).as("held at the sync").isEmpty();
            offer(audio, media(MessageType.AUDIO, 40));
            offer(audio, sync(7, 2));
            pump(() -> delivered.size() == 2, 10);
            assertThat(delivered).containsExactly("media 8@40", "NetStream.Play.UnpublishNotify");
        }
        finally
        {
            close();
        }
    }

    @Test
    void aSyncThatNeverCompletesReleasesItsFlowAfterTheTimeout() throws Exception
    {
        final TcClient tc = open();
        try
        {
            offer(data, sync(9, 2));
            offer(data, status("NetStream.Play.UnpublishNotify"));
            pump(() -> data.bytesQueued() == 0, 10);
            pumpFor(300);
            assertThat(tc.poll(System.nanoTime())).as("not yet").isZero();
            assertThat(delivered).isEmpty();
            assertThat(tc.poll(System.nanoTime() + TcClient.SYNC_TIMEOUT_NS + 1)).isEqualTo(1);
            assertThat(delivered).containsExactly("NetStream.Play.UnpublishNotify");
        }
        finally
        {
            close();
        }
    }

    private TcClient open() throws Exception
    {
        final Session[] sessions = new Session[1];
        server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()))
            .threading(EndpointContext.Threading.INVOKER)
            .flowListener(new FlowListener()
            {
                @Override
                public void onFlowOpened(final ReceiveFlow flow)
                {
                    if (null == data)
                    {
                        flow.session().openFlow(TcFlows.metadata(0), flow, new io.flowcast.engine.flow.FlowOptions());
                        data = flow.session().openFlow(TcFlows.metadata(1), flow,
                            new io.flowcast.engine.flow.FlowOptions());
                        audio = flow.session().openFlow(TcFlows.metadata(1), flow,
                            new io.flowcast.engine.flow.FlowOptions());
                    }
                }

                @Override
                public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset,
                    final int length)
                {
                }
            }));
        client = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(new SessionKeying(new SecureRandom(), DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
                DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
            .acceptIncoming(false)
            .threading(EndpointContext.Threading.INVOKER)
            .helloInterval(100, TimeUnit.MILLISECONDS)
            .listener(new SessionListener()
            {
                @Override
                public void onSessionOpened(final Session session)
                {
                    sessions[0] = session;
                }

                @Override
                public void onSessionClosed(final Session session, final CloseReason reason)
                {
                }

                @Override
                public void onOpenFailed(final long openId, final CloseReason reason)
                {
                }
            }));
        client.connectToFingerprint(server.fingerprint(), server.localAddresses());
        pump(() -> null != sessions[0], 20);
        final TcClient tc = new TcClient(sessions[0], listener);
        sessions[0].flowListener(tc);
        assertThat(tc.connect("rtmfp://127.0.0.1/live", "live")).isTrue();
        pump(() -> null != audio, 10);
        // open the two flows at the client with a first message each (not part of what is checked)
        offer(data, status("NetStream.Play.Start"));
        offer(audio, media(MessageType.AUDIO, 0));
        pump(() -> delivered.size() == 2, 10);
        delivered.clear();
        return tc;
    }

    private void close()
    {
        client.close();
        server.close();
    }

    private int sync(final int id, final int count)
    {
        TcMessageFlyweight.encodeHeader(message, 0, MessageType.USER_CONTROL, 0);
        return TcMessageFlyweight.HEADER_LENGTH +
            UserControl.encode(message, TcMessageFlyweight.HEADER_LENGTH, UserControl.FLOW_SYNC, id, count);
    }

    private int status(final String code)
    {
        TcMessageFlyweight.encodeHeader(message, 0, MessageType.COMMAND_AMF0, 0);
        return new Amf0Writer().wrap(message, TcMessageFlyweight.HEADER_LENGTH, 200).string("onStatus").number(0)
            .nul().objectBegin().key("level").string("status").key("code").string(code).objectEnd().position();
    }

    private int media(final int type, final int timestamp)
    {
        TcMessageFlyweight.encodeHeader(message, 0, type, timestamp);
        message.putByte(TcMessageFlyweight.HEADER_LENGTH, (byte)0xAF);
        message.putByte(TcMessageFlyweight.HEADER_LENGTH + 1, (byte)1);
        return TcMessageFlyweight.HEADER_LENGTH + 2;
    }

    private void offer(final SendFlow flow, final int length)
    {
        assertThat(flow.offer(message, 0, length)).isPositive();
    }

    private void pump(final BooleanSupplier done, final long seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            assertThat(System.nanoTime() - deadline).as("in time").isNegative();
            server.doWork();
            client.doWork();
        }
    }

    private void pumpFor(final long millis)
    {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - end < 0)
        {
            server.doWork();
            client.doWork();
        }
    }
}
