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

    /** Beside the key file: the next master key, while {@code mayfly keys rotate-master} is installing it. */
    public static final String NEXT_SUFFIX = ".next";

    private final SecretKeySpec key;
    private final String origin;
    private final String rotationHint;

    private MasterKey(byte[] raw, String origin) {
        this(raw, origin, "");
    }

    private MasterKey(byte[] raw, String origin, String rotationHint) {
        this.key = new SecretKeySpec(raw, "AES");
        this.origin = origin;
        this.rotationHint = rotationHint;
    }

    /** From the environment value when set, else from (or newly into) the key file. */
    public static MasterKey load(String envValue, Path keyFile) {
        if (envValue != null && !envValue.isBlank()) {
            return fromText(envValue, "environment variable " + ENV);
        }
        try {
            if (Files.exists(keyFile)) {
                // A staged next key means a rotation stopped between its commit and installing the new key.
                String hint = Files.exists(nextKeyFile(keyFile))
                        ? " A master-key rotation was interrupted (" + nextKeyFile(keyFile) + " exists): run 'mayfly "
                                + "keys rotate-master' again to finish it."
                        : "";
                return new MasterKey(decode(Files.readString(keyFile).trim(), keyFile.toString()), "key file " + keyFile,
                        hint);
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

    /** An existing key from a file (never creates one). */
    public static MasterKey read(Path file) {
        try {
            return fromText(Files.readString(file), "key file " + file);
        } catch (IOException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot read the master key file " + file + " (" + e.getClass().getSimpleName() + ")."), e);
        }
    }

    /** A key from its base64 text; {@code origin} says where it came from, for messages. */
    public static MasterKey fromText(String base64, String origin) {
        return new MasterKey(decode(base64.trim(), origin), origin);
    }

    /** A new random key (not stored anywhere yet). */
    public static MasterKey generate(String origin) {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        return new MasterKey(raw, origin);
    }

    /** The key as base64 text, the form the key file and {@code MAYFLY_MASTER_KEY} hold; for writing it out. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Where a rotation stages the next key for {@code keyFile}. */
    public static Path nextKeyFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + NEXT_SUFFIX);
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
        return tryDecrypt(ciphertext, associatedData).orElseThrow(() -> new MayflyException(MayflyError.of(
                ErrorCode.PRECONDITION, "A stored key or secret cannot be decrypted with the master key from " + origin
                        + "; start the broker with the master key it was created with." + rotationHint)));
    }

    /**
     * HMAC-SHA256 of {@code message} under a key derived from the master key for one {@code purpose} (itself
     * an HMAC of the purpose's name), so no two uses of the master key share a key and the master key never
     * leaves this class. Deterministic: every node with the same master key derives the same value.
     */
    public byte[] derive(String purpose, byte[] message) {
        return hmacSha256(purposeKey(purpose)).doFinal(message);
    }

    /**
     * {@link #derive} for one purpose and many messages: the purpose's key is derived once and each thread keeps
     * an HMAC initialised with it, so a message costs one HMAC (the audit chain hashes every record this way).
     * Same values as {@link #derive}; thread-safe.
     */
    public Derivation derivation(String purpose) {
        SecretKeySpec purposeKey = purposeKey(purpose);
        return new Derivation(ThreadLocal.withInitial(() -> hmacSha256(purposeKey)));
    }

    /** HMACs under one purpose's derived key; see {@link #derivation}. */
    public static final class Derivation {
        private final ThreadLocal<javax.crypto.Mac> macs;

        private Derivation(ThreadLocal<javax.crypto.Mac> macs) {
            this.macs = macs;
        }

        /** The derived value for {@code message}, as {@link MasterKey#derive} gives it. */
        public byte[] mac(byte[] message) {
            return macs.get().doFinal(message); // doFinal resets the HMAC for the thread's next message
        }
    }

    /** The purpose's key: an HMAC of its name under the master key. */
    private SecretKeySpec purposeKey(String purpose) {
        byte[] derived = hmacSha256(new SecretKeySpec(key.getEncoded(), "HmacSHA256"))
                .doFinal(("mayfly-master-key-derivation/" + purpose).getBytes(StandardCharsets.UTF_8));
        return new SecretKeySpec(derived, "HmacSHA256");
    }

    private static javax.crypto.Mac hmacSha256(SecretKeySpec key) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JRE", e);
        }
    }

    /** The plaintext, or empty when the value was not encrypted under this key (or was tampered with). */
    public java.util.Optional<String> tryDecrypt(String ciphertext, String associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return java.util.Optional.of(new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + origin + "]";
    }
}
