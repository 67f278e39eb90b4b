package dev.mayfly.server.crypto;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.home.MayflyHome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts signing keys at rest: AES-256-GCM, a fresh 96-bit nonce per value, the key id as
 * associated data (so a ciphertext cannot be moved to another key's row). Comes from
 * {@code MAYFLY_MASTER_KEY} (32 bytes, base64) or, failing that, from a key file generated on first start.
 */
public final class MasterKey {
    public static final String ENV = "MAYFLY_MASTER_KEY";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String origin;

    private MasterKey(byte[] raw, String origin) {
        this.key = new SecretKeySpec(raw, "AES");
        this.origin = origin;
    }

    /** From the environment value when set, else from (or newly into) the key file. */
    public static MasterKey load(String envValue, Path keyFile) {
        if (envValue != null && !envValue.isBlank()) {
            return new MasterKey(decode(envValue.trim(), ENV), "environment variable " + ENV);
        }
        try {
            if (Files.exists(keyFile)) {
                return new MasterKey(decode(Files.readString(keyFile).trim(), keyFile.toString()), "key file " + keyFile);
            }
            byte[] raw = new byte[KEY_BYTES];
            RANDOM.nextBytes(raw);
            MayflyHome.writeSecretFile(keyFile, (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
            return new MasterKey(raw, "key file " + keyFile + " (generated)");
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot read or create the master key file " + keyFile + ": " + e.getMessage()), e);
        }
    }

    private static byte[] decode(String text, String where) {
        byte[] raw;
        try {
            raw = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != KEY_BYTES) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "The master key from " + where + " must be 32 bytes, base64-encoded (for example the output of "
                            + "'openssl rand -base64 32')."));
        }
        return raw;
    }

    /** Where the key came from, for the start-up log (never the key). */
    public String origin() {
        return origin;
    }

    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JRE", e);
        }
    }

    /** @throws MayflyException PRECONDITION when the value was encrypted under another master key */
    public String decrypt(String ciphertext, String associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "A signing key cannot be decrypted with the master key from " + origin
                            + "; start the broker with the master key it was created with."), e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + origin + "]";
    }
}
