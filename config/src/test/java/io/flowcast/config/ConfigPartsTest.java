package io.flowcast.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.flowcast.config.ConfigFixture.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigPartsTest
{
    @Test
    void damerauLevenshtein()
    {
        assertThat(KeySuggester.distance("port", "port")).isZero();
        assertThat(KeySuggester.distance("prot", "port")).isEqualTo(1); // one swap
        assertThat(KeySuggester.distance("bind", "binds")).isEqualTo(1);
        assertThat(KeySuggester.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggester.suggest("rtmfp.prot", List.of("rtmfp.port", "rtmp.port"))).isEqualTo("rtmfp.port");
        assertThat(KeySuggester.suggest("colour", List.of("rtmfp.port", "rtmp.port"))).isNull();
    }

    @Test
    void environmentVariableMapping()
    {
        assertThat(EnvironmentKeys.variableFor("rtmfp.port")).isEqualTo("FLOWCAST_RTMFP_PORT");
        assertThat(EnvironmentKeys.variableFor("rtmfp.core-ports")).isEqualTo("FLOWCAST_RTMFP_CORE__PORTS");
        for (final String key : ConfigLoader.knownKeys())
        {
            assertThat(EnvironmentKeys.keyFor(EnvironmentKeys.variableFor(key))).isEqualTo(key);
        }
        assertThat(EnvironmentKeys.keyFor("FLOWCAST_JAVA_OPTS")).isNull();
        assertThat(EnvironmentKeys.keyFor("FLOWCAST_KEYLOG")).isEqualTo("logging.keylog");
        assertThat(EnvironmentKeys.keyFor("FLOWCAST_REFERENCE_BIN")).isNull();
        assertThat(EnvironmentKeys.keyFor("FLOWCAST_")).isNull();
        assertThat(EnvironmentKeys.keyFor("HOME")).isNull();
    }

    @Test
    void ipLiteralsAreStrictAndOffline()
    {
        assertThat(IpAddresses.parseLiteral("10.0.0.4")).isEqualTo(address("10.0.0.4"));
        assertThat(IpAddresses.parseLiteral("[2001:db8::1]")).isNotNull();
        assertThat(IpAddresses.parseLiteral("1.2.3")).isNull(); // Java alone would read 1.2.0.3
        assertThat(IpAddresses.parseLiteral("256.1.1.1")).isNull();
        assertThat(IpAddresses.parseLiteral("1:2:zz")).isNull();
        assertThat(IpAddresses.parseLiteral("localhost")).isNull();
        assertThat(IpAddresses.isHostName("rtmfp.example.com")).isTrue();
        assertThat(IpAddresses.isHostName("rtmfp.example.com.")).isTrue();
        assertThat(IpAddresses.isHostName("-bad.example")).isFalse();
        assertThat(IpAddresses.isHostName("1.2.3.400")).isFalse();
        assertThat(IpAddresses.isPrivate(address("10.1.2.3"))).isTrue();
        assertThat(IpAddresses.isPrivate(address("100.64.0.1"))).isTrue();
        assertThat(IpAddresses.isPrivate(address("fd00::2"))).isTrue();
        assertThat(IpAddresses.isPrivate(address("203.0.113.7"))).isFalse();
        assertThat(IpAddresses.isPrivate(address("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv6TextIsTheRfc5952ShortForm()
    {
        assertThat(IpAddresses.toText(address("::"))).isEqualTo("::");
        assertThat(IpAddresses.toText(address("::1"))).isEqualTo("::1");
        assertThat(IpAddresses.toText(address("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.toText(address("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddresses.toText(address("fe80::fc:ff:fe00:1"))).isEqualTo("fe80::fc:ff:fe00:1");
        assertThat(IpAddresses.toText(address("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
        assertThat(IpAddresses.toText(address("10.0.0.4"))).isEqualTo("10.0.0.4");
    }

    @Test
    void cidrs()
    {
        assertThat(Cidr.parse("10.0.0.0/8").contains(address("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(address("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(address("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(address("2001:db8:1::1"))).isTrue();
        assertThat(Cidr.parse("192.0.2.1")).isEqualTo(new Cidr(address("192.0.2.1"), 32));
        assertThat(Cidr.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessage("the prefix length must be 0..32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32"))
            .hasMessage("host bits are set after the /32 prefix (the network is 2001:db8::/32)");
    }

    @Test
    void appConfigNeverPrintsKeys()
    {
        final AppConfig app = new AppConfig("a", List.of("0123456789abcdef-secret"), new AccessRules(List.of(),
            List.of()), new AccessRules(List.of(), List.of()), java.time.Duration.ZERO, java.time.Duration.ZERO);
        assertThat(app.toString()).doesNotContain("secret").contains("1 key(s)");
    }
}
