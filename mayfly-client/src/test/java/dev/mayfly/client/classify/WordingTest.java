package dev.mayfly.client.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.client.classify.Wording.Meaning;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The wording rules one class at a time, beside the vectors that show them on real responses: one cause
 * decides, two causes decide nothing, and timestamps of requests are not credentials' expiry.
 */
class WordingTest {
    @Test
    void expiryInTheWordsOfLibrariesAndGateways() {
        for (String text : new String[] {"jwt expired", "Jwt is expired", "Signature has expired.", "Expired JWT",
                "Jwt expired at 2026-11-22T13:55:00Z", "token is expired by 5m0s", "\"exp\" claim timestamp check failed",
                "Error validating token: IDX10223", "Lifetime validation failed. The token is expired.",
                "Token is not active", "The incoming token has expired",
                "Access token has expired or is not yet valid."}) {
            assertThat(Wording.of(text)).as(text).isEqualTo(Meaning.EXPIRED);
        }
    }

    @Test
    void twoCausesDecideNothing() {
        for (String text : new String[] {"invalid or expired jwt", "The access token is invalid or has expired",
                "Unauthorized. Access token is missing or invalid.", "missing or malformed jwt",
                "The refresh token is invalid or expired.", "Unknown or invalid refresh token."}) {
            assertThat(Wording.of(text)).as(text).isNull();
        }
    }

    @Test
    void requestTimestampsAreNotCredentialExpiry() {
        assertThat(Wording.of("Request has expired")).isNull();
        assertThat(Wording.of("Signature expired: 20210527T091025Z is now earlier than 20210527T093851Z")).isNull();
        assertThat(Wording.of("Signature not yet current: 20230804T000000Z is still later than 20230803T172233Z")).isNull();
    }

    @Test
    void otherMeanings() {
        assertThat(Wording.of("Jwt not yet valid")).isEqualTo(Meaning.NOT_YET_VALID);
        assertThat(Wording.of("\"nbf\" claim timestamp check failed")).isEqualTo(Meaning.NOT_YET_VALID);
        assertThat(Wording.of("Jwt is missing")).isEqualTo(Meaning.MISSING);
        assertThat(Wording.of("AKV10000: Request is missing a Bearer or PoP token.")).isEqualTo(Meaning.MISSING);
        assertThat(Wording.of("No API key found in request")).isEqualTo(Meaning.MISSING);
        assertThat(Wording.of("Invalid JWT token: missing required scopes.")).as("missing, but not the credential").isNull();
        assertThat(Wording.of("AKV10022: Invalid audience.")).isEqualTo(Meaning.WRONG_CREDENTIAL);
        assertThat(Wording.of("Jwt issuer is not configured")).isEqualTo(Meaning.WRONG_CREDENTIAL);
        assertThat(Wording.of("invalid signature")).isEqualTo(Meaning.WRONG_CREDENTIAL);
        assertThat(Wording.of("refresh token revoked")).isEqualTo(Meaning.REVOKED);
        assertThat(Wording.of("Bad credentials")).isNull();
        assertThat(Wording.of("RBAC: access denied")).isNull();
        assertThat(Wording.of(null)).isNull();
    }

    @Test
    void statedExpiryInEachForm() {
        assertThat(StatedExpiry.in("Jwt expired at 2026-11-22T13:55:00Z")).contains(Instant.parse("2026-11-22T13:55:00Z"));
        assertThat(StatedExpiry.in("Request signature expired at: 2020-07-29T18:17:19+00:00"))
                .contains(Instant.parse("2020-07-29T18:17:19Z"));
        assertThat(StatedExpiry.in("The token expired at '11/22/2026 13:55:00'")).contains(Instant.parse("2026-11-22T13:55:00Z"));
        assertThat(StatedExpiry.in("ExpiredToken: The token is expired. Expiration time: '2018-11-04 05:05:25Z'."))
                .contains(Instant.parse("2018-11-04T05:05:25Z"));
        assertThat(StatedExpiry.in("The access token expiry UTC time '3/19/2023 8:55:46 AM' is earlier than current UTC time"))
                .contains(Instant.parse("2023-03-19T08:55:46Z"));
        assertThat(StatedExpiry.in("Request has expired: 120")).contains(Instant.ofEpochSecond(120));
        assertThat(StatedExpiry.in("Jwt expired at 13/45/2026 99:00:00")).isEmpty();
        assertThat(StatedExpiry.in("jwt expired")).isEmpty();
    }
}
