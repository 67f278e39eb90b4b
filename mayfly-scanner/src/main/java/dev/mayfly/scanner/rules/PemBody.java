package dev.mayfly.scanner.rules;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a PEM private key block (RFC 7468) has a real body: base64 that decodes to a DER SEQUENCE
 * whose length matches (PKCS#1 and PKCS#8 bodies start {@code MI…}, short SEC1 EC keys {@code MH…}), the
 * {@code openssh-key-v1} magic for OpenSSH keys, or an OpenPGP packet for PGP key blocks. Encapsulated
 * headers ({@code Proc-Type}, {@code DEK-Info}, armor headers) and the PGP checksum line are skipped. A
 * body with {@code ...}, escapes or other non-base64 text is a placeholder or an undecoded copy.
 */
final class PemBody implements SecretCheck {
    private static final Pattern BLOCK = Pattern.compile(
            "^-----BEGIN ([A-Z0-9 _-]{1,100})-----(.*)-----END ([A-Z0-9 _-]{1,100})-----$", Pattern.DOTALL);
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int MIN_BYTES = 32;

    @Override
    public boolean accepts(Candidate c) {
        Matcher m = BLOCK.matcher(c.secret());
        if (!m.matches() || !m.group(1).equals(m.group(3))) {
            return false;
        }
        byte[] der = decodeBody(m.group(2));
        if (der == null || der.length < MIN_BYTES) {
            return false;
        }
        String label = m.group(1);
        if (label.equals("OPENSSH PRIVATE KEY")) {
            return startsWith(der, OPENSSH_MAGIC);
        }
        if (label.startsWith("PGP ")) {
            return (der[0] & 0x80) != 0;
        }
        return isDerSequence(der);
    }

    private static byte[] decodeBody(String body) {
        String[] lines = body.split("\r?\n|\r");
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        // Encapsulated headers (RFC 1421 Proc-Type, DEK-Info; OpenPGP armor headers) end at a blank line.
        if (i < lines.length && lines[i].contains(":")) {
            int j = i;
            while (j < lines.length && !lines[j].isBlank()) {
                j++;
            }
            i = j < lines.length ? j + 1 : i + 1;
            while (i < lines.length && lines[i].contains(":")) {
                i++;
            }
        }
        StringBuilder b64 = new StringBuilder(body.length());
        for (; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("=") && line.length() == 5) {
                continue; // OpenPGP armor checksum
            }
            for (int k = 0; k < line.length(); k++) {
                char ch = line.charAt(k);
                if (ch == ' ' || ch == '\t') {
                    continue;
                }
                if (!isBase64(ch)) {
                    return null;
                }
                b64.append(ch);
            }
        }
        try {
            return Base64.getDecoder().decode(b64.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isBase64(char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                || ch == '+' || ch == '/' || ch == '=';
    }

    /** A DER SEQUENCE (0x30) whose encoded length is exactly the rest of the bytes. */
    static boolean isDerSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int first = der[1] & 0xFF;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 3 || der.length < 2 + n) {
                return false;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[2 + i] & 0xFF);
            }
            header = 2 + n;
        }
        return header + length == der.length;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
