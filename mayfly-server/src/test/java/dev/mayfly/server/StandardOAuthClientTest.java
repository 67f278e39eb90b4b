package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unmodified standard OAuth client (Nimbus oauth2-oidc-sdk) drives the broker: discovery, client
 * credentials, token exchange, refresh, introspection and revocation, over real HTTP.
 */
class StandardOAuthClientTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void nimbusClientDrivesEveryStandardEndpoint() throws Exception {
        JsonNode agent = broker.client().createAgent(broker.client().adminToken(broker.adminCredentials()), "nimbus",
                "interactive", List.of("docs:read", "docs:write"), List.of("https://docs.example"));
        ClientID clientId = new ClientID(agent.get("client_id").asText());
        Secret secret = new Secret(agent.get("client_secret").asText());
        ClientAuthentication basic = new ClientSecretBasic(clientId, secret);
        ClientAuthentication post = new ClientSecretPost(clientId, secret);

        AuthorizationServerMetadata meta = AuthorizationServerMetadata.resolve(new Issuer(broker.issuer()));
        assertThat(meta.getIssuer().getValue()).isEqualTo(broker.issuer());
        assertThat(meta.getTokenEndpointAuthMethods()).extracting(Object::toString)
                .contains("client_secret_basic", "client_secret_post");

        // client_credentials with client_secret_basic
        TokenResponse login = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), basic,
                new ClientCredentialsGrant(), new Scope("docs:read", "docs:write")).toHTTPRequest().send());
        assertThat(login.indicatesSuccess()).as(String.valueOf(login)).isTrue();
        AccessTokenResponse session = login.toSuccessResponse();
        BearerAccessToken sessionToken = session.getTokens().getBearerAccessToken();
        assertThat(sessionToken.getLifetime()).isEqualTo(600);
        assertThat(session.getTokens().getRefreshToken()).isNotNull();
        assertThat(session.getCustomParameters()).containsKeys("refresh_after", "session_id");

        // token exchange (RFC 8693) for a task token at another audience, with the task id extension
        TokenExchangeGrant exchangeGrant = new TokenExchangeGrant(sessionToken, TokenTypeURI.ACCESS_TOKEN, null, null,
                TokenTypeURI.ACCESS_TOKEN, List.of(new Audience("https://docs.example")));
        TokenRequest exchangeRequest = new TokenRequest.Builder(meta.getTokenEndpointURI(), basic, exchangeGrant)
                .scope(new Scope("docs:read"))
                .customParameter("task_id", "summarise-7")
                .build();
        TokenResponse exchanged = TokenResponse.parse(exchangeRequest.toHTTPRequest().send());
        assertThat(exchanged.indicatesSuccess()).as(String.valueOf(exchanged)).isTrue();
        AccessTokenResponse task = exchanged.toSuccessResponse();
        assertThat(task.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        assertThat(task.getCustomParameters().get("task_id")).isEqualTo("summarise-7");
        BearerAccessToken taskToken = task.getTokens().getBearerAccessToken();

        // refresh with client_secret_post; the refresh token rotates
        RefreshToken rt0 = session.getTokens().getRefreshToken();
        TokenResponse refreshed = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), post,
                new RefreshTokenGrant(rt0)).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        RefreshToken rt1 = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertThat(rt1.getValue()).isNotEqualTo(rt0.getValue());

        // introspection of the task token: active, with its scope, client and task
        TokenIntrospectionResponse intro = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                meta.getIntrospectionEndpointURI(), basic, taskToken).toHTTPRequest().send());
        assertThat(intro.indicatesSuccess()).isTrue();
        TokenIntrospectionSuccessResponse active = intro.toSuccessResponse();
        assertThat(active.isActive()).isTrue();
        assertThat(active.getScope()).isEqualTo(new Scope("docs:read"));
        assertThat(active.getClientID()).isEqualTo(clientId);
        assertThat(active.getStringParameter("task")).isEqualTo("summarise-7");
        assertThat(active.getAudience()).extracting(Audience::getValue).containsExactly("https://docs.example");

        // revocation (RFC 7009), then the token introspects inactive
        HTTPResponse revoked = new TokenRevocationRequest(meta.getRevocationEndpointURI(), basic, taskToken)
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        TokenIntrospectionSuccessResponse after = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                meta.getIntrospectionEndpointURI(), basic, taskToken).toHTTPRequest().send()).toSuccessResponse();
        assertThat(after.isActive()).isFalse();

        // revoking the current refresh token ends the session: the old one is then refused with invalid_grant
        new TokenRevocationRequest(meta.getRevocationEndpointURI(), basic, rt1).toHTTPRequest().send();
        TokenResponse dead = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), basic,
                new RefreshTokenGrant(rt1)).toHTTPRequest().send());
        assertThat(dead.indicatesSuccess()).isFalse();
        TokenErrorResponse error = dead.toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(error.getErrorObject().getCustomParams()).containsEntry("code", "CREDENTIALS_REVOKED");
    }
}
