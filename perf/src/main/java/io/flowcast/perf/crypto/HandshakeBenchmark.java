package io.flowcast.perf.crypto;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DiffieHellmanKeyPair;
import io.flowcast.crypto.SessionKeys;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.DHBasicAgreement;
import org.bouncycastle.crypto.generators.DHKeyPairGenerator;
import org.bouncycastle.crypto.params.DHKeyGenerationParameters;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * Handshake crypto of one side per group: ephemeral key pair, agreement with the far public key (§4.6.2 checks
 * included) and key derivation. Flowcast uses BigInteger.modPow; BouncyCastle's DHKeyPairGenerator +
 * DHBasicAgreement (same math through BC's own code paths) is measured beside it to justify the choice.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class HandshakeBenchmark
{
    @Param({ "2", "5", "14", "16" })
    public int group;

    private final SecureRandom random = new SecureRandom();
    private DiffieHellmanGroup dhGroup;
    private BigInteger farPublic;
    private final byte[] skic = new byte[76];
    private final byte[] skrc = new byte[523];

    private DHKeyPairGenerator bcGenerator;
    private DHPublicKeyParameters bcFarPublic;

    @Setup
    public void setUp()
    {
        dhGroup = DiffieHellmanGroup.byId(group);
        farPublic = dhGroup.generateKeyPair(random).publicNumber();
        random.nextBytes(skic);
        random.nextBytes(skrc);

        final DHParameters parameters = new DHParameters(dhGroup.prime(), BigInteger.TWO, null, dhGroup.privateBits());
        bcGenerator = new DHKeyPairGenerator();
        bcGenerator.init(new DHKeyGenerationParameters(random, parameters));
        bcFarPublic = new DHPublicKeyParameters(farPublic, parameters);
    }

    /** Flowcast: key pair + agreement + derivation. */
    @Benchmark
    public SessionKeys flowcastKeyPairAgreementDerivation()
    {
        final DiffieHellmanKeyPair pair = dhGroup.generateKeyPair(random);
        return SessionKeys.derive(pair.sharedSecret(farPublic), skic, skrc);
    }

    /** BouncyCastle DH key pair + agreement, same derivation. */
    @Benchmark
    public SessionKeys bouncyCastleKeyPairAgreementDerivation()
    {
        final AsymmetricCipherKeyPair pair = bcGenerator.generateKeyPair();
        final DHBasicAgreement agreement = new DHBasicAgreement();
        agreement.init(pair.getPrivate());
        return SessionKeys.derive(DiffieHellmanGroup.minimalBytes(agreement.calculateAgreement(bcFarPublic)),
            skic, skrc);
    }
}
