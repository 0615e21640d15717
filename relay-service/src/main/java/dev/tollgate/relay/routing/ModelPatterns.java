package dev.tollgate.relay.routing;

/**
 * A channel's model entries are names or patterns: {@code *} alone matches any model, {@code gpt-4o*} a prefix,
 * {@code *-mini} a suffix, {@code claude-*-latest} a prefix and a suffix ({@code *} matches any run of characters,
 * also none). Matching is case-sensitive, as upstream model names are.
 */
final class ModelPatterns {

    private ModelPatterns() {
    }

    static boolean isPattern(String entry) {
        return entry.indexOf('*') >= 0;
    }

    static boolean matches(String entry, String model) {
        if (model == null) {
            return false;
        }
        int star = entry.indexOf('*');
        if (star < 0) {
            return entry.equals(model);
        }
        String[] parts = entry.split("\\*", -1);
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (model.length() < first.length() + last.length() || !model.startsWith(first) || !model.endsWith(last)) {
            return false;
        }
        // Middle parts (only with several stars) must appear in order between the prefix and the suffix.
        int from = first.length();
        int end = model.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            int at = model.indexOf(parts[i], from);
            if (at < 0 || at + parts[i].length() > end) {
                return false;
            }
            from = at + parts[i].length();
        }
        return true;
    }
}
