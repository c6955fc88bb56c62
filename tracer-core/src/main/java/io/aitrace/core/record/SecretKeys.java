package io.aitrace.core.record;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which keys hold secrets. A key is split into words ({@code x-api-key}, {@code apiKey},
 * {@code API_KEY}, {@code XApiKey} all give {@code api key}) and is secret when a configured term appears in
 * it as whole words. So {@code access_token} is secret but {@code gen_ai.usage.input_tokens} is not; plurals
 * are terms of their own ({@code secrets}, {@code api_keys}), except {@code tokens}, which counts usage.
 * A term ending in {@code $} matches only at the end of a key: the default {@code auth$} masks {@code auth} and
 * {@code basic_auth} but not {@code ai.auth.context} or {@code auth_method}, which name something about it.
 */
public final class SecretKeys {
    /** The terms masked when configuration names none. */
    public static final List<String> DEFAULT_TERMS = List.of("api_key", "api_keys", "apikey", "apikeys", "password",
            "passwords", "passwd", "token", "secret", "secrets$", "authorization", "auth$", "cookie", "cookies",
            "set_cookie", "private_key", "private_keys", "credential", "credentials", "session_id", "bearer");

    private static final int MAX_REMEMBERED = 4096;

    private final List<String[]> terms = new ArrayList<>();
    private final List<Boolean> atEnd = new ArrayList<>();
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

    public SecretKeys(Collection<String> terms) {
        for (String term : terms) {
            String text = term == null ? "" : term.strip();
            boolean anchored = text.endsWith("$");
            String[] words = words(anchored ? text.substring(0, text.length() - 1) : text);
            if (words.length > 0) {
                this.terms.add(words);
                this.atEnd.add(anchored);
            }
        }
    }

    public boolean isSecret(String key) {
        if (key == null || key.isEmpty() || terms.isEmpty()) {
            return false;
        }
        // An application uses few distinct keys, on every span: remember the verdict (up to a bound).
        Boolean known = verdicts.get(key);
        if (known != null) {
            return known;
        }
        boolean secret = matches(key);
        if (verdicts.size() < MAX_REMEMBERED) {
            verdicts.put(key, secret);
        }
        return secret;
    }

    private boolean matches(String key) {
        String[] words = words(key);
        for (int t = 0; t < terms.size(); t++) {
            String[] term = terms.get(t);
            if (atEnd.get(t) ? endsWithRun(words, term) : containsRun(words, term)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithRun(String[] words, String[] term) {
        int from = words.length - term.length;
        if (from < 0) {
            return false;
        }
        for (int j = 0; j < term.length; j++) {
            if (!words[from + j].equals(term[j])) {
                return false;
            }
        }
        return true;
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
            if (Character.isUpperCase(c) && i > 0 && startsWord(key, i)) {
                spaced.append(' ');
            }
            spaced.append(Character.isLetterOrDigit(c) ? c : ' ');
        }
        String trimmed = spaced.toString().toLowerCase(Locale.ROOT).trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    /** An upper-case letter starts a word after a lower-case letter or digit (apiKey, oauth2Token) and
     *  when it ends an acronym (the K of APIKey, the A of XApiKey). */
    private static boolean startsWord(String key, int i) {
        char previous = key.charAt(i - 1);
        if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
            return true;
        }
        return Character.isUpperCase(previous) && i + 1 < key.length() && Character.isLowerCase(key.charAt(i + 1));
    }
}
