package dev.mayfly.server.leak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys a leak reporter (GitHub's secret-scanning partner program) signs its reports with, from a
 * file in the format GitHub serves at {@code https://api.github.com/meta/public_keys/secret_scanning}:
 * {@code {"public_keys": [{"key_identifier", "key": "-----BEGIN PUBLIC KEY-----...", "is_current"}]}}.
 * A report is authentic when header {@code Github-Public-Key-Signature} holds the base64 DER ECDSA P-256
 * SHA-256 signature of the exact request body under the key named by {@code Github-Public-Key-Identifier}.
 * Keys GitHub has retired stay usable while they are in the file (GitHub lists them with
 * {@code is_current: false} during a rotation). The file is read again when it changes; a bad new version is
 * logged and the previous keys stay in force. Thread-safe.
 */
public final class LeakReporterKeys {
    public static final String KEY_ID_HEADER = "Github-Public-Key-Identifier";
    public static final String SIGNATURE_HEADER = "Github-Public-Key-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(LeakReporterKeys.class);

    private final Path file;
    private volatile Loaded loaded;
    /** The file version that failed to load (modified time and size), so it is reported once, not per request. */
    private volatile String rejectedVersion;

    private record Loaded(FileTime modified, long size, Map<String, PublicKey> keys) {
    }

    private LeakReporterKeys(Path file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
    }

    /** Reads the file now; any problem with it is a catalog error naming the file. */
    public static LeakReporterKeys load(Path file) {
        return new LeakReporterKeys(file, read(file));
    }

    /** Key identifiers currently trusted. */
    public java.util.Set<String> keyIds() {
        return current().keys().keySet();
    }

    /**
     * Checks a report's signature; returns normally when authentic, otherwise throws
     * {@code CREDENTIALS_INVALID} saying which part is wrong (never echoing the signature).
     */
    public void verify(byte[] body, String keyId, String signature) {
        if (keyId == null || keyId.isBlank() || signature == null || signature.isBlank()) {
            throw invalid("This broker only accepts signed GitHub secret-scanning reports: the "
                    + KEY_ID_HEADER + " and " + SIGNATURE_HEADER + " headers are required.");
        }
        PublicKey key = current().keys().get(keyId.strip());
        if (key == null) {
            throw invalid("The report is signed with a key this broker does not know (" + KEY_ID_HEADER + ").");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("The " + SIGNATURE_HEADER + " header is not base64.");
        }
        boolean ok;
        try {
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(key);
            v.update(body);
            ok = v.verify(der);
        } catch (GeneralSecurityException e) {
            ok = false; // a malformed DER signature lands here
        }
        if (!ok) {
            throw invalid("The report's signature does not verify over its body.");
        }
    }

    private Loaded current() {
        Loaded l = loaded;
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            String version = modified + "/" + size;
            if ((!modified.equals(l.modified()) || size != l.size()) && !version.equals(rejectedVersion)) {
                synchronized (this) {
                    if (loaded == l) {
                        rejectedVersion = version; // until it loads
                        loaded = read(file);
                        rejectedVersion = null;
                        LOG.info("leak reporter keys reloaded from {}: {}", file, loaded.keys().keySet());
                    }
                    l = loaded;
                }
            }
        } catch (IOException e) {
            if (!"unreadable".equals(rejectedVersion)) {
                rejectedVersion = "unreadable";
                LOG.warn("leak reporter keys file {} cannot be read, keeping the previous keys: {}", file,
                        e.getClass().getSimpleName());
            }
        } catch (MayflyException e) {
            LOG.warn("leak reporter keys in {} could not be reloaded, keeping the previous ones: {}", file,
                    e.error().message());
        }
        return l;
    }

    private static Loaded read(Path file) {
        byte[] bytes;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MayflyException(ErrorCode.NOT_FOUND, "The leak reporter keys file " + file + " does not exist.");
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the leak reporter keys file " + file
                    + " (" + e.getClass().getSimpleName() + ").");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw usage(file, "is not valid JSON");
        }
        JsonNode list = root == null ? null : root.get("public_keys");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw usage(file, "has no \"public_keys\" list");
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JsonNode k : list) {
            String id = k.path("key_identifier").asText("");
            String pem = k.path("key").asText("");
            if (id.isBlank() || pem.isBlank()) {
                throw usage(file, "has a key without \"key_identifier\" or \"key\"");
            }
            keys.put(id, publicKey(file, id, pem));
        }
        return new Loaded(modified, bytes.length, Map.copyOf(keys));
    }

    private static PublicKey publicKey(Path file, String id, String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw usage(file, "has key " + id + " that is not a PEM EC public key (-----BEGIN PUBLIC KEY-----)");
        }
    }

    private static MayflyException usage(Path file, String what) {
        return new MayflyException(ErrorCode.USAGE, "The leak reporter keys file " + file + " " + what + ".");
    }

    private static MayflyException invalid(String message) {
        return new MayflyException(MayflyError.of(ErrorCode.CREDENTIALS_INVALID, message));
    }
}
