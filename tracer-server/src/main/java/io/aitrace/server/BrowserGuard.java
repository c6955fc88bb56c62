package io.aitrace.server;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps web pages out of the traces, with no token needed on loopback. A page the developer visits can send
 * requests to the collector (a write with no preflight) or rebind its own host name to this address (a read).
 * So: only {@code Host} names the collector serves are answered (IP addresses, {@code localhost}, its own
 * {@code --host}, {@link ServerConfig#allowedHosts()}), and a write a browser marks as cross-site
 * ({@code Sec-Fetch-Site}) or from another origin ({@code Origin}) is refused. Programs that are not browsers send
 * neither header and are not affected; the viewer's own requests are same-origin.
 */
final class BrowserGuard {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private final Set<String> names = new HashSet<>();
    private final boolean anyHost;

    BrowserGuard(ServerConfig config) {
        names.add("localhost");
        names.add(config.host().toLowerCase(Locale.ROOT));
        List<String> allowed = config.allowedHosts();
        allowed.forEach(name -> names.add(hostOnly(name)));
        anyHost = allowed.contains("*");
    }

    /** @throws ApiException 403 naming what was refused */
    void check(ApiExchange exchange) {
        String host = exchange.header("Host");
        if (host != null && !anyHost && !isServed(hostOnly(host))) {
            throw new ApiException(403, "Host '" + host + "' is not served here (add it to aitrace.allowed.hosts"
                    + " if this collector is reached by that name)");
        }
        String method = exchange.method();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        String site = exchange.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ApiException(403, "a " + site + " request from a web page may not write here");
        }
        String origin = exchange.header("Origin");
        if (origin != null && (host == null || !sameAuthority(origin, host))) {
            throw new ApiException(403, "a request from the web page at " + origin + " may not write here");
        }
    }

    private boolean isServed(String name) {
        return name.isEmpty() || names.contains(name) || name.endsWith(".localhost") || IPV4.matcher(name).matches()
                || name.startsWith("[");
    }

    private static boolean sameAuthority(String origin, String host) {
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false; // "null" and other opaque origins
        }
    }

    /** The name of a {@code Host} value, lowercase, without port and trailing dot; IPv6 keeps its brackets. */
    static String hostOnly(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            return close < 0 ? name : name.substring(0, close + 1);
        }
        int colon = name.indexOf(':');
        if (colon >= 0 && colon == name.lastIndexOf(':')) {
            name = name.substring(0, colon);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
