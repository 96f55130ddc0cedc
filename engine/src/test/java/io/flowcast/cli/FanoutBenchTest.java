package io.flowcast.cli;

import io.flowcast.engine.media.AuthTokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flowcast bench fanout} against our media server: every player gets every message, the report has its
 * figures, and a refused connect fails the run with the server's reason.
 */
@Tag("slow")
class FanoutBenchTest
{
    @Test
    void fivePlayersGetEveryMessageAndTheReportHasTheFigures() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int rc = RtmfpPublishPlayTest.run(out, err, "bench", "fanout", server.rtmfpUri("live", "bench"),
                "--players", "5", "--threads", "2", "--flv",
                RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString(), "--drain", "5",
                "--server-pid", Long.toString(ProcessHandle.current().pid()));
            System.out.println(out);
            assertThat(rc).as(out + " " + err).isZero();
            assertThat(out.toString())
                .contains("players 5 joined")
                .contains("261 audio + 152 video messages")
                .contains("complete 5 of 5 players (least received 413 of 413)")
                .containsPattern("latency µs, all players: p50 \\d+ p90 \\d+ p99 \\d+ p99.9 \\d+ max \\d+ " +
                    "\\(2065 messages\\)")
                .containsPattern("per player µs: p50 best \\d+")
                .containsPattern("server pid \\d+: CPU [0-9.]+ s while publishing .* peak RSS [0-9.]+ MB");
            assertThat(server.publishedAudio.get()).isEqualTo(261);
            assertThat(server.publishedVideo.get()).isEqualTo(152);
        }
    }

    @Test
    void refusedPlayersFailTheRunWithTheReason() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness(List.of("s3cret")))
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int rc = RtmfpPublishPlayTest.run(out, err, "bench", "fanout", server.rtmfpUri("live", "bench"),
                "--players", "2", "--flv", RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString(),
                "--join-timeout", "10", "--token", "wrong");
            System.out.println(out + " " + err);
            assertThat(rc).isEqualTo(1);
            assertThat(out.toString()).contains("players 0 joined").contains("2 failed");
            assertThat(err.toString()).contains("no player joined").contains("NetConnection.Connect.Rejected");

            // with the app's token they join
            final StringWriter ok = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(ok, err, "bench", "fanout", server.rtmfpUri("live", "bench"),
                "--players", "2", "--flv", RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString(),
                "--token", AuthTokens.token("s3cret", "live"), "--drain", "5")).as(ok + " " + err).isZero();
            assertThat(ok.toString()).contains("complete 2 of 2 players");
        }
    }
}
