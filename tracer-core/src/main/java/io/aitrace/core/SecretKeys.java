package io.aitrace.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Decides which keys hold secrets. A key is split into words ({@code x-api-key}, {@code apiKey},
 * {@code API_KEY} all give {@code api key}) and is secret when a configured term appears in it as whole
 * words. So {@code access_token} is secret but {@code gen_ai.usage.input_tokens} is not.
 */
public final class SecretKeys {
    /** The terms masked when configuration names none. */
    public static final List<String> DEFAULT_TERMS = List.of("api_key", "apikey", "password", "passwd", "token",
            "secret", "authorization", "auth", "cookie", "set_cookie", "private_key", "credential", "credentials",
            "session_id", "bearer");

    private final List<String[]> terms = new ArrayList<>();

    public SecretKeys(Collection<String> terms) {
        for (String term : terms) {
            String[] words = words(term);
            if (words.length > 0) {
                this.terms.add(words);
            }
        }
    }

    public boolean isSecret(String key) {
        if (key == null || key.isEmpty() || terms.isEmpty()) {
            return false;
        }
        String[] words = words(key);
        for (String[] term : terms) {
            if (containsRun(words, term)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsRun(String[] words, String[] term) {
        outer:
        for (int i = 0; i + term.length <= words.length; i++) {
            for (int j = 0; j < term.length; j++) {
                if (!words[i + j].equals(term[j])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static String[] words(String key) {
        StringBuilder spaced = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(key.charAt(i - 1))) {
                spaced.append(' ');
            }
            spaced.append(Character.isLetterOrDigit(c) ? c : ' ');
        }
        String trimmed = spaced.toString().toLowerCase(Locale.ROOT).trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }
}
