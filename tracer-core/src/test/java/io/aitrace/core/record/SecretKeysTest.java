package io.aitrace.core.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeysTest {
    private final SecretKeys defaults = new SecretKeys(SecretKeys.DEFAULT_TERMS);

    @ParameterizedTest
    @ValueSource(strings = {"api_key", "password", "Authorization", "accessToken", "x-api-key", "refresh_token",
            "cookie", "Set-Cookie", "OPENAI_API_KEY", "client_secret", "Proxy-Authorization", "session_id",
            "privateKey"})
    void secretLookingKeyIsSecret(String key) {
        assertThat(defaults.isSecret(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gen_ai.usage.input_tokens", "max_tokens", "author", "tokenizer", "passage",
            "gen_ai.request.model", "secretary", "authority"})
    void keyThatMerelyContainsASecretTermIsNotSecret(String key) {
        assertThat(defaults.isSecret(key)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"APIKey", "openAIApiKey", "XApiKey", "oauth2Token", "AWSSecretAccessKey"})
    void acronymsAndDigitsInCamelCaseStillSplitIntoWords(String key) {
        assertThat(defaults.isSecret(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api_keys", "apiKeys", "passwords", "secrets", "cookies"})
    void pluralOfASecretTermIsSecretToo(String key) {
        assertThat(defaults.isSecret(key)).isTrue();
    }

    @Test
    void configuredTermsReplaceTheDefaults() {
        SecretKeys custom = new SecretKeys(List.of("ssn", "pin_code"));

        assertThat(custom.isSecret("ssn")).isTrue();
        assertThat(custom.isSecret("patientPinCode")).isTrue();
        assertThat(custom.isSecret("password")).isFalse();
    }

    @Test
    void termMatchesWhateverStyleTheKeyIsWrittenIn() {
        SecretKeys custom = new SecretKeys(List.of("clientId"));

        assertThat(custom.isSecret("client_id")).isTrue();
        assertThat(custom.isSecret("X-Client-Id")).isTrue();
        assertThat(custom.isSecret("CLIENT_ID")).isTrue();
    }

    @Test
    void noTermsMeansNothingIsSecret() {
        assertThat(new SecretKeys(List.of()).isSecret("password")).isFalse();
    }

    @Test
    void nullAndEmptyKeysAreNotSecret() {
        assertThat(defaults.isSecret(null)).isFalse();
        assertThat(defaults.isSecret("")).isFalse();
        assertThat(defaults.isSecret("--")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth", "basic_auth", "X-Auth", "proxyAuth", "secrets", "app_secrets"})
    void authAndSecretsMaskAKeyThatEndsWithThem(String key) {
        assertThat(defaults.isSecret(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ai.auth.context", "auth_method", "authType", "secrets_manager.region",
            "secrets.count"})
    void authAndSecretsDoNotMaskAKeyThatOnlyQualifiesWithThem(String key) {
        assertThat(defaults.isSecret(key)).isFalse();
    }

    @Test
    void aConfiguredTermEndingInADollarMatchesOnlyAtTheEndOfAKey() {
        SecretKeys custom = new SecretKeys(List.of("pin$", "ssn"));

        assertThat(custom.isSecret("card.pin")).isTrue();
        assertThat(custom.isSecret("pin.length")).isFalse();
        assertThat(custom.isSecret("ssn.last4")).isTrue();
    }
}
