package dev.mayfly.scanner.rules;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Translates Go RE2 syntax, as gitleaks rule files use it, into java.util.regex syntax with the same
 * meaning. What differs and is translated: named groups {@code (?P<name>…)} (and Java's stricter group
 * names), POSIX classes {@code [[:alnum:]]}, a literal {@code [} or {@code &} inside a class (Java reads
 * nested classes and {@code &&}), {@code \v} (Java: a class), octal escapes, {@code \p{Greek}}-style script
 * names, and a {@code {} that is not a repetition. What has no RE2 meaning or no Java equivalent is
 * rejected with {@link UnsupportedRegexException}: {@code (?U)}, {@code \C}, {@code \Z}, lookaround,
 * backreferences, nested repetition such as {@code a**}, unknown letter escapes.
 *
 * <p>Compile the result with {@link java.util.regex.Pattern#UNIX_LINES} so that {@code .}, {@code ^} and
 * {@code $} treat only {@code \n} as a line end, as Go does.
 */
final class GoRegex {
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));
    private static final Set<String> CATEGORIES = Set.of(
            "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
            "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
            "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

    private final String go;
    private final StringBuilder out = new StringBuilder();
    private final Set<String> groupNames = new HashSet<>();
    private int pos;

    private GoRegex(String go) {
        this.go = go;
    }

    static String toJava(String goRegex) {
        GoRegex t = new GoRegex(goRegex);
        t.translate();
        return t.out.toString();
    }

    private void translate() {
        boolean afterQuantifier = false;
        while (pos < go.length()) {
            char c = go.charAt(pos++);
            boolean quantifier = false;
            switch (c) {
                case '\\':
                    escape(false);
                    break;
                case '[':
                    charClass();
                    break;
                case '(':
                    group();
                    break;
                case '*':
                case '+':
                case '?':
                    if (afterQuantifier) {
                        throw new UnsupportedRegexException("nested repetition '" + c + "' at offset " + (pos - 1));
                    }
                    out.append(c);
                    if (pos < go.length() && go.charAt(pos) == '?') {
                        out.append('?');
                        pos++;
                    }
                    quantifier = true;
                    break;
                case '{': {
                    int end = repetitionEnd(pos - 1);
                    if (end < 0) {
                        out.append("\\{");
                    } else {
                        if (afterQuantifier) {
                            throw new UnsupportedRegexException("nested repetition at offset " + (pos - 1));
                        }
                        out.append(go, pos - 1, end);
                        pos = end;
                        if (pos < go.length() && go.charAt(pos) == '?') {
                            out.append('?');
                            pos++;
                        }
                        quantifier = true;
                    }
                    break;
                }
                case '}':
                    out.append("\\}");
                    break;
                default:
                    out.append(c);
            }
            afterQuantifier = quantifier;
        }
    }

    /** End (exclusive) of a repetition {@code {n}}, {@code {n,}} or {@code {n,m}} starting at {@code at}; -1 if none. */
    private int repetitionEnd(int at) {
        int i = at + 1;
        int digits = 0;
        while (i < go.length() && Character.isDigit(go.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= go.length()) {
            return -1;
        }
        if (go.charAt(i) == '}') {
            checkRepeatCount(go.substring(at + 1, i));
            return i + 1;
        }
        if (go.charAt(i) != ',') {
            return -1;
        }
        int commaAt = i;
        i++;
        while (i < go.length() && Character.isDigit(go.charAt(i))) {
            i++;
        }
        if (i >= go.length() || go.charAt(i) != '}') {
            return -1;
        }
        checkRepeatCount(go.substring(at + 1, commaAt));
        if (i > commaAt + 1) {
            checkRepeatCount(go.substring(commaAt + 1, i));
        }
        return i + 1;
    }

    private static void checkRepeatCount(String digits) {
        if (digits.length() > 4 || Integer.parseInt(digits) > 1000) {
            throw new UnsupportedRegexException("repetition count " + digits + " is above RE2's limit of 1000");
        }
    }

    private void group() {
        if (pos >= go.length() || go.charAt(pos) != '?') {
            out.append('(');
            return;
        }
        if (go.startsWith("?P<", pos) || (go.startsWith("?<", pos) && !go.startsWith("?<=", pos)
                && !go.startsWith("?<!", pos))) {
            int nameStart = pos + (go.charAt(pos + 1) == 'P' ? 3 : 2);
            int close = go.indexOf('>', nameStart);
            if (close < 0) {
                throw new UnsupportedRegexException("unterminated group name");
            }
            out.append("(?<").append(javaGroupName(go.substring(nameStart, close))).append('>');
            pos = close + 1;
            return;
        }
        if (go.startsWith("?=", pos) || go.startsWith("?!", pos) || go.startsWith("?<=", pos)
                || go.startsWith("?<!", pos)) {
            throw new UnsupportedRegexException("lookaround (?" + go.charAt(pos + 1) + "...) is not RE2 syntax");
        }
        // flags: (?flags) or (?flags:re)
        int i = pos + 1;
        StringBuilder flags = new StringBuilder();
        while (i < go.length() && go.charAt(i) != ')' && go.charAt(i) != ':') {
            char f = go.charAt(i);
            if (f == 'U') {
                throw new UnsupportedRegexException("flag (?U) (ungreedy) has no java.util.regex equivalent");
            }
            if (f != 'i' && f != 'm' && f != 's' && f != '-') {
                throw new UnsupportedRegexException("group syntax (?" + f + " is not supported");
            }
            flags.append(f);
            i++;
        }
        if (i >= go.length()) {
            throw new UnsupportedRegexException("unterminated group");
        }
        out.append("(?").append(flags).append(go.charAt(i));
        pos = i + 1;
    }

    private String javaGroupName(String goName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < goName.length(); i++) {
            char ch = goName.charAt(i);
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
                sb.append(ch);
            }
        }
        if (sb.length() == 0 || !Character.isLetter(sb.charAt(0))) {
            sb.insert(0, 'g');
        }
        String base = sb.toString();
        String name = base;
        for (int n = 2; !groupNames.add(name); n++) {
            name = base + n;
        }
        return name;
    }

    private void charClass() {
        out.append('[');
        if (pos < go.length() && go.charAt(pos) == '^') {
            out.append('^');
            pos++;
        }
        if (pos < go.length() && go.charAt(pos) == ']') {
            out.append("\\]"); // a leading ] is a literal in RE2
            pos++;
        }
        while (true) {
            if (pos >= go.length()) {
                throw new UnsupportedRegexException("unterminated character class");
            }
            char c = go.charAt(pos++);
            if (c == ']') {
                out.append(']');
                return;
            }
            if (c == '[' && pos < go.length() && go.charAt(pos) == ':') {
                int close = go.indexOf(":]", pos + 1);
                if (close < 0) {
                    throw new UnsupportedRegexException("unterminated POSIX class");
                }
                String name = go.substring(pos + 1, close);
                boolean negated = name.startsWith("^");
                String java = POSIX.get(negated ? name.substring(1) : name);
                if (java == null) {
                    throw new UnsupportedRegexException("unknown POSIX class [:" + name + ":]");
                }
                if (negated) {
                    java = java.equals("\\w") ? "\\W" : "\\P" + java.substring(2);
                }
                out.append(java);
                pos = close + 2;
            } else if (c == '[' || c == '&') {
                out.append('\\').append(c);
            } else if (c == '\\') {
                escape(true);
            } else {
                out.append(c);
            }
        }
    }

    private void escape(boolean inClass) {
        if (pos >= go.length()) {
            throw new UnsupportedRegexException("trailing backslash");
        }
        char e = go.charAt(pos++);
        switch (e) {
            case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
            case 't': case 'n': case 'r': case 'f': case 'a':
                out.append('\\').append(e);
                return;
            case 'b': case 'B': case 'A': case 'z':
                if (inClass) {
                    throw new UnsupportedRegexException("\\" + e + " inside a character class");
                }
                out.append('\\').append(e);
                return;
            case 'v':
                out.append("\\x0B");
                return;
            case 'x':
                hexEscape();
                return;
            case 'p': case 'P':
                property(e);
                return;
            case 'Q': {
                int end = go.indexOf("\\E", pos);
                String quoted = end < 0 ? go.substring(pos) : go.substring(pos, end);
                pos = end < 0 ? go.length() : end + 2;
                for (int i = 0; i < quoted.length(); i++) {
                    appendLiteral(quoted.charAt(i));
                }
                return;
            }
            case 'C':
                throw new UnsupportedRegexException("\\C (any byte) has no java.util.regex equivalent");
            case 'Z':
                throw new UnsupportedRegexException("\\Z is not RE2 syntax (use \\z)");
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0';
                    int digits = 1;
                    while (digits < 3 && pos < go.length() && go.charAt(pos) >= '0' && go.charAt(pos) <= '7') {
                        v = v * 8 + (go.charAt(pos++) - '0');
                        digits++;
                    }
                    if (e != '0' && digits == 1) {
                        throw new UnsupportedRegexException("backreference \\" + e + " is not RE2 syntax");
                    }
                    out.append(String.format("\\x{%x}", v));
                    return;
                }
                if (Character.isLetterOrDigit(e)) {
                    throw new UnsupportedRegexException("escape \\" + e + " is not supported");
                }
                out.append('\\').append(e);
        }
    }

    private void hexEscape() {
        if (pos < go.length() && go.charAt(pos) == '{') {
            int close = go.indexOf('}', pos);
            if (close < 0) {
                throw new UnsupportedRegexException("unterminated \\x{...}");
            }
            out.append("\\x").append(go, pos, close + 1);
            pos = close + 1;
            return;
        }
        if (pos + 2 > go.length()) {
            throw new UnsupportedRegexException("short \\x escape");
        }
        out.append("\\x").append(go, pos, pos + 2);
        pos += 2;
    }

    private void property(char p) {
        boolean negated = p == 'P';
        String name;
        if (pos < go.length() && go.charAt(pos) == '{') {
            int close = go.indexOf('}', pos);
            if (close < 0) {
                throw new UnsupportedRegexException("unterminated \\p{...}");
            }
            name = go.substring(pos + 1, close);
            pos = close + 1;
        } else if (pos < go.length()) {
            name = String.valueOf(go.charAt(pos++));
        } else {
            throw new UnsupportedRegexException("short \\p escape");
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String java;
        if (name.equals("Any")) {
            java = negated ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]";
            out.append(java);
            return;
        }
        java = CATEGORIES.contains(name) ? name : "Is" + name;
        out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
    }

    private void appendLiteral(char c) {
        if ("\\[](){}.*+?^$|&-".indexOf(c) >= 0) {
            out.append('\\');
        }
        out.append(c);
    }
}
