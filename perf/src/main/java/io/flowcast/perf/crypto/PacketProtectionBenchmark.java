package io.flowcast.perf.crypto;

import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.codec.rtmfp.Multiplex;
import org.agrona.concurrent.UnsafeBuffer;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Packet protection of 1,200-byte RTMFP packets with HMAC-SHA256 (16 bytes) and session sequence numbers, both
 * ways: Flowcast's {@link PacketProtection} (in place, allocation-free) against a naive JCE loop (Cipher init +
 * doFinal, then Mac, allocating per packet) and a BouncyCastle AESEngine/CBC + HMac pipeline, per primitive too.
 * MB/s = ops/us x 1200.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PacketProtectionBenchmark
{
    static final int PACKET = 1200;
    static final int MAC = 16;

    private final byte[] aesKey = new byte[16];
    private final byte[] hmacKey = new byte[32];
    private final byte[] plain = new byte[PACKET + 16]; // packet + sequence number, padded: 1216 bytes

    private PacketProtection sender;
    private PacketProtection receiver;
    private UnsafeBuffer sendBuffer;
    private UnsafeBuffer receiveBuffer;
    private byte[] sealed;
    private int sealedLength;

    private SecretKeySpec jceKey;
    private IvParameterSpec zeroIv;
    private Cipher jceCipher;
    private Mac jceMac;
    private byte[] naiveSealed;

    private CBCModeCipher bcCbc;
    private HMac bcMac;
    private KeyParameter bcKey;
    private byte[] bcWork;
    private byte[] bcMacOut;
    private MessageDigest sha;

    @Setup
    public void setUp() throws Exception
    {
        for (int i = 0; i < aesKey.length; i++)
        {
            aesKey[i] = (byte)(i * 7 + 1);
        }
        for (int i = 0; i < hmacKey.length; i++)
        {
            hmacKey[i] = (byte)(i * 13 + 5);
        }
        Arrays.fill(plain, (byte)0x5A);
        final DirectionKeys keys = new DirectionKeys(aesKey, hmacKey, MAC, true);
        sender = new PacketProtection(keys, keys);
        receiver = new PacketProtection(keys, keys);
        sendBuffer = new UnsafeBuffer(new byte[2048]);
        receiveBuffer = new UnsafeBuffer(new byte[2048]);
        sendBuffer.putBytes(sender.packetOffset(0), plain, 0, PACKET);
        sealedLength = sender.encrypt(sendBuffer, 0, PACKET);
        Multiplex.scramble(sendBuffer, 0, sealedLength, 0x02000000);
        sealed = new byte[sealedLength];
        sendBuffer.getBytes(0, sealed);

        jceKey = new SecretKeySpec(aesKey, "AES");
        zeroIv = new IvParameterSpec(new byte[16]);
        jceCipher = Cipher.getInstance("AES/CBC/NoPadding");
        jceMac = Mac.getInstance("HmacSHA256");
        jceMac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
        naiveSealed = naiveEncryptAndMac();

        bcCbc = CBCBlockCipher.newInstance(AESEngine.newInstance());
        bcKey = new KeyParameter(aesKey);
        bcMac = new HMac(new SHA256Digest());
        bcMac.init(new KeyParameter(hmacKey));
        bcWork = new byte[plain.length + 32];
        bcMacOut = new byte[32];
        sha = MessageDigest.getInstance("SHA-256");
    }

    /** Flowcast: sequence number, pad, AES-CBC in place, HMAC appended. */
    @Benchmark
    public int encryptAndMac()
    {
        final int length = sender.encrypt(sendBuffer, 0, PACKET);
        sender.nextSendSequence(0);
        return length;
    }

    /** Flowcast: copy a sealed datagram in (as a receive would), verify, decrypt in place, replay window. */
    @Benchmark
    public int verifyAndDecrypt()
    {
        receiveBuffer.putBytes(0, sealed, 0, sealedLength);
        receiver.replayWindow().reset();
        return receiver.decrypt(receiveBuffer, 0, sealedLength);
    }

    /** Baseline: naive JCE, Cipher init + doFinal then Mac, new arrays per packet. */
    @Benchmark
    public byte[] naiveJceEncryptAndMac() throws Exception
    {
        return naiveEncryptAndMac();
    }

    /** Baseline: naive JCE, Mac then Cipher init + doFinal, new arrays per packet. */
    @Benchmark
    public byte[] naiveJceVerifyAndDecrypt() throws Exception
    {
        final byte[] datagram = naiveSealed.clone();
        final byte[] mac = jceMac.doFinal(Arrays.copyOfRange(datagram, 0, datagram.length - MAC));
        if (!MessageDigest.isEqual(Arrays.copyOf(mac, MAC), Arrays.copyOfRange(datagram, datagram.length - MAC,
            datagram.length)))
        {
            throw new IllegalStateException("bad mac");
        }
        jceCipher.init(Cipher.DECRYPT_MODE, jceKey, zeroIv);
        return jceCipher.doFinal(datagram, 0, datagram.length - MAC);
    }

    /** Alternative: BouncyCastle AESEngine + CBC and HMac (allocation-free, no AES-NI, no SHA intrinsics). */
    @Benchmark
    public int bouncyCastleEncryptAndMac()
    {
        System.arraycopy(plain, 0, bcWork, 0, plain.length);
        bcCbc.init(true, new ParametersWithIV(bcKey, zeroIv.getIV()));
        for (int i = 0; i < plain.length; i += 16)
        {
            bcCbc.processBlock(bcWork, i, bcWork, i);
        }
        bcMac.update(bcWork, 0, plain.length);
        bcMac.doFinal(bcMacOut, 0);
        return bcMacOut[0];
    }

    /** Alternative: BouncyCastle HMac then AESEngine + CBC decrypt. */
    @Benchmark
    public int bouncyCastleVerifyAndDecrypt()
    {
        System.arraycopy(naiveSealed, 0, bcWork, 0, plain.length);
        bcMac.update(bcWork, 0, plain.length);
        bcMac.doFinal(bcMacOut, 0);
        bcCbc.init(false, new ParametersWithIV(bcKey, zeroIv.getIV()));
        for (int i = 0; i < plain.length; i += 16)
        {
            bcCbc.processBlock(bcWork, i, bcWork, i);
        }
        return bcWork[0] + bcMacOut[0];
    }

    /** Primitive: HMAC-SHA256 of 1216 bytes with javax.crypto.Mac (allocates its result). */
    @Benchmark
    public byte[] hmacJceMac()
    {
        jceMac.update(plain);
        return jceMac.doFinal();
    }

    /** Primitive: HMAC-SHA256 of 1216 bytes with BouncyCastle HMac/SHA256Digest. */
    @Benchmark
    public int hmacBouncyCastle()
    {
        bcMac.update(plain, 0, plain.length);
        bcMac.doFinal(bcMacOut, 0);
        return bcMacOut[0];
    }

    /** Primitive: SHA-256 of 1216 bytes with the JDK MessageDigest (what Flowcast's HmacSha256 runs on). */
    @Benchmark
    public int sha256Jdk() throws Exception
    {
        sha.update(plain);
        sha.digest(bcMacOut, 0, 32);
        return bcMacOut[0];
    }

    private byte[] naiveEncryptAndMac() throws Exception
    {
        jceCipher.init(Cipher.ENCRYPT_MODE, jceKey, zeroIv);
        final byte[] ciphertext = jceCipher.doFinal(plain);
        final byte[] mac = jceMac.doFinal(ciphertext);
        final byte[] datagram = Arrays.copyOf(ciphertext, ciphertext.length + MAC);
        System.arraycopy(mac, 0, datagram, ciphertext.length, MAC);
        return datagram;
    }
}
