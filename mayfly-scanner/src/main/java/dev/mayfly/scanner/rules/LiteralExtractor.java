package dev.mayfly.scanner.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives prefilter anchors from a java.util.regex pattern: a set of literals such that every match
 * contains at least one of them, plus the maximum match length. It parses the regex into facts per node
 * (the small finite set of strings a node can match, if any; a set of required substrings; min and max
 * length) and combines them the way RE2 and ripgrep extract literals. Anything it does not understand
 * gives {@link RegexFacts#NONE}: the rule then runs without a prefilter, which is slower but never wrong.
 * Literals are lower-cased because the prefilter matches ASCII case-insensitively.
 */
final class LiteralExtractor {
    /** Shorter literals would fire everywhere; such rules run on their keywords or without prefilter. */
    static final int MIN_ANCHOR = 3;
    private static final int MAX_SET = 64;
    private static final int MAX_LITERAL = 64;
    private static final int SMALL_CLASS = 10;
    private static final int LENGTH_CAP = 1 << 20;

    private static final Set<String> EMPTY_STRING = Set.of("");
    private static final Info EMPTY = new Info(EMPTY_STRING, null, 0, 0);
    private static final Info ZERO_WIDTH = new Info(null, null, 0, 0);
    private static final Info ANY = new Info(null, null, 1, 1);
    private static final Info UNKNOWN = new Info(null, null, 0, RegexFacts.UNBOUNDED);

    private final String re;
    private int pos;

    private LiteralExtractor(String re) {
        this.re = re;
    }

    static RegexFacts analyze(String regex) {
        try {
            LiteralExtractor p = new LiteralExtractor(regex);
            Info info = p.alternation();
            if (p.pos != regex.length()) {
                return RegexFacts.NONE;
            }
            if (info.prefix != null && !info.prefix.isEmpty() && minLength(info.prefix) >= MIN_ANCHOR
                    && allAscii(info.prefix)) {
                return new RegexFacts(info.prefix, true, info.max);
            }
            Set<String> best = best(info);
            Set<String> anchors = best != null && minLength(best) >= MIN_ANCHOR && allAscii(best) ? best : Set.of();
            return new RegexFacts(anchors, false, info.max);
        } catch (GiveUp | RuntimeException e) {
            return RegexFacts.NONE;
        }
    }

    // ---- parser ----------------------------------------------------------------------------------

    private Info alternation() throws GiveUp {
        List<Info> branches = new ArrayList<>();
        branches.add(concatenation());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            branches.add(concatenation());
        }
        return branches.size() == 1 ? branches.get(0) : alt(branches);
    }

    private Info concatenation() throws GiveUp {
        List<Info> items = new ArrayList<>();
        while (pos < re.length()) {
            char c = re.charAt(pos);
            if (c == '|' || c == ')') {
                break;
            }
            items.add(quantified(atom()));
        }
        return concat(items);
    }

    private Info quantified(Info atom) throws GiveUp {
        Info result = atom;
        while (pos < re.length()) {
            char c = re.charAt(pos);
            int lo;
            int hi;
            if (c == '*') {
                lo = 0;
                hi = RegexFacts.UNBOUNDED;
                pos++;
            } else if (c == '+') {
                lo = 1;
                hi = RegexFacts.UNBOUNDED;
                pos++;
            } else if (c == '?') {
                lo = 0;
                hi = 1;
                pos++;
            } else if (c == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new GiveUp();
                }
                String body = re.substring(pos + 1, close);
                int comma = body.indexOf(',');
                try {
                    if (comma < 0) {
                        lo = Integer.parseInt(body);
                        hi = lo;
                    } else {
                        lo = Integer.parseInt(body.substring(0, comma));
                        String h = body.substring(comma + 1);
                        hi = h.isEmpty() ? RegexFacts.UNBOUNDED : Integer.parseInt(h);
                    }
                } catch (NumberFormatException e) {
                    throw new GiveUp();
                }
                pos = close + 1;
            } else {
                break;
            }
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
                pos++;
            }
            result = repeat(result, lo, hi);
        }
        return result;
    }

    private Info atom() throws GiveUp {
        char c = re.charAt(pos++);
        switch (c) {
            case '(':
                return group();
            case '[':
                return classInfo(charClass());
            case '.':
                return ANY;
            case '^':
            case '$':
                return ZERO_WIDTH;
            case '\\':
                return escape();
            case '*':
            case '+':
            case '?':
            case '{':
                throw new GiveUp();
            default:
                return literal(c);
        }
    }

    private Info group() throws GiveUp {
        if (peek() != '?') {
            return closeGroup(alternation());
        }
        pos++;
        char d = next();
        if (d == ':' || d == '>') {
            return closeGroup(alternation());
        }
        if (d == '=' || d == '!') {
            closeGroup(alternation());
            return ZERO_WIDTH;
        }
        if (d == '<') {
            if (peek() == '=' || peek() == '!') {
                pos++;
                closeGroup(alternation());
                return ZERO_WIDTH;
            }
            int close = re.indexOf('>', pos);
            if (close < 0) {
                throw new GiveUp();
            }
            pos = close + 1;
            return closeGroup(alternation());
        }
        pos--;
        boolean negative = false;
        while (pos < re.length() && (Character.isLetter(re.charAt(pos)) || re.charAt(pos) == '-')) {
            char f = re.charAt(pos++);
            if (f == '-') {
                negative = true;
            } else if ((f == 'x' || f == 'X') && !negative) {
                throw new GiveUp(); // comments mode changes the syntax
            }
        }
        char e = next();
        if (e == ')') {
            return EMPTY;
        }
        if (e == ':') {
            return closeGroup(alternation());
        }
        throw new GiveUp();
    }

    private Info closeGroup(Info inner) throws GiveUp {
        if (next() != ')') {
            throw new GiveUp();
        }
        return inner;
    }

    private Info escape() throws GiveUp {
        char e = next();
        switch (e) {
            case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
            case 'h': case 'H': case 'v': case 'V':
                return ANY;
            case 'R':
                return new Info(null, null, 1, 2);
            case 'X':
                return new Info(null, null, 1, RegexFacts.UNBOUNDED);
            case 'p': case 'P':
                skipProperty();
                return ANY;
            case 'N':
                skipBraces();
                return ANY;
            case 'b': case 'B': case 'A': case 'G': case 'z': case 'Z':
                if (e == 'b' && peek() == '{') {
                    skipBraces();
                }
                return ZERO_WIDTH;
            case 'k':
                if (next() != '<' || re.indexOf('>', pos) < 0) {
                    throw new GiveUp();
                }
                pos = re.indexOf('>', pos) + 1;
                return UNKNOWN;
            case 'Q': {
                int end = re.indexOf("\\E", pos);
                String quoted = end < 0 ? re.substring(pos) : re.substring(pos, end);
                pos = end < 0 ? re.length() : end + 2;
                List<Info> items = new ArrayList<>();
                for (int i = 0; i < quoted.length(); i++) {
                    items.add(literal(quoted.charAt(i)));
                }
                return concat(items);
            }
            default:
                if (e >= '1' && e <= '9') {
                    while (pos < re.length() && Character.isDigit(re.charAt(pos))) {
                        pos++;
                    }
                    return UNKNOWN;
                }
                return literal(escapedChar(e));
        }
    }

    /** The character an escape stands for; {@code e} is the character after the backslash. */
    private char escapedChar(char e) throws GiveUp {
        switch (e) {
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'a': return '\u0007';
            case 'e': return '\u001B';
            case 'c': return (char) (next() ^ 64);
            case '0': {
                int v = 0;
                int digits = 0;
                while (digits < 3 && pos < re.length() && re.charAt(pos) >= '0' && re.charAt(pos) <= '7') {
                    v = v * 8 + (re.charAt(pos++) - '0');
                    digits++;
                }
                return (char) v;
            }
            case 'x': {
                if (peek() == '{') {
                    int close = re.indexOf('}', pos);
                    if (close < 0) {
                        throw new GiveUp();
                    }
                    int cp = Integer.parseInt(re.substring(pos + 1, close), 16);
                    pos = close + 1;
                    if (cp > 0xFFFF) {
                        throw new GiveUp();
                    }
                    return (char) cp;
                }
                char v = (char) Integer.parseInt(re.substring(pos, pos + 2), 16);
                pos += 2;
                return v;
            }
            case 'u': {
                char v = (char) Integer.parseInt(re.substring(pos, pos + 4), 16);
                pos += 4;
                return v;
            }
            default:
                if (Character.isLetterOrDigit(e)) {
                    throw new GiveUp();
                }
                return e;
        }
    }

    private void skipProperty() throws GiveUp {
        if (peek() == '{') {
            skipBraces();
        } else {
            next();
        }
    }

    private void skipBraces() throws GiveUp {
        if (peek() != '{') {
            return;
        }
        int close = re.indexOf('}', pos);
        if (close < 0) {
            throw new GiveUp();
        }
        pos = close + 1;
    }

    /** Parses a class after its {@code [}; the set of (lower-cased) chars, or null when large or unknown. */
    private Set<Character> charClass() throws GiveUp {
        boolean negated = false;
        if (peek() == '^') {
            negated = true;
            pos++;
        }
        Set<Character> set = new HashSet<>();
        boolean large = false;
        boolean first = true;
        while (true) {
            if (pos >= re.length()) {
                throw new GiveUp();
            }
            char c = re.charAt(pos);
            if (c == ']') {
                if (first) {
                    throw new GiveUp();
                }
                pos++;
                break;
            }
            first = false;
            if (c == '[') {
                pos++;
                charClass();
                large = true;
                continue;
            }
            if (c == '&' && pos + 1 < re.length() && re.charAt(pos + 1) == '&') {
                pos += 2;
                large = true;
                continue;
            }
            int lo = classChar();
            if (lo < 0) {
                large = true;
                continue;
            }
            if (peek() == '-' && pos + 1 < re.length() && re.charAt(pos + 1) != ']') {
                pos++;
                int hi = classChar();
                if (hi < 0 || hi < lo) {
                    throw new GiveUp();
                }
                if (hi - lo > 128) {
                    large = true;
                    continue;
                }
                for (int ch = lo; ch <= hi; ch++) {
                    set.add(lower((char) ch));
                }
            } else {
                set.add(lower((char) lo));
            }
        }
        return negated || large || set.size() > SMALL_CLASS ? null : set;
    }

    /** One member of a class: a char, or -1 for a class escape such as \d or \p{L}. */
    private int classChar() throws GiveUp {
        char c = next();
        if (c != '\\') {
            return c;
        }
        char e = next();
        switch (e) {
            case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
            case 'h': case 'H': case 'v': case 'V':
                return -1;
            case 'p': case 'P':
                skipProperty();
                return -1;
            case 'Q':
                throw new GiveUp();
            default:
                return escapedChar(e);
        }
    }

    private char peek() {
        return pos < re.length() ? re.charAt(pos) : '\0';
    }

    private char next() throws GiveUp {
        if (pos >= re.length()) {
            throw new GiveUp();
        }
        return re.charAt(pos++);
    }

    // ---- facts -----------------------------------------------------------------------------------

    private static Info literal(char c) {
        return new Info(Set.of(String.valueOf(lower(c))), null, 1, 1);
    }

    private static Info classInfo(Set<Character> set) {
        if (set == null || set.isEmpty()) {
            return ANY;
        }
        Set<String> exact = new LinkedHashSet<>();
        for (char c : set) {
            exact.add(String.valueOf(c));
        }
        return new Info(exact, null, 1, 1);
    }

    private static Info concat(List<Info> items) {
        if (items.isEmpty()) {
            return EMPTY;
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        int min = 0;
        int max = 0;
        List<Set<String>> candidates = new ArrayList<>();
        Set<String> run = EMPTY_STRING;
        boolean exactSoFar = true;
        for (Info it : items) {
            min = capped(min + it.min);
            max = max == RegexFacts.UNBOUNDED || it.max == RegexFacts.UNBOUNDED
                    ? RegexFacts.UNBOUNDED : capped(max + it.max);
            if (it.exact != null) {
                Set<String> p = product(run, it.exact);
                if (p == null) {
                    candidates.add(run);
                    run = it.exact;
                    exactSoFar = false;
                } else {
                    run = p;
                }
            } else {
                exactSoFar = false;
                candidates.add(run);
                run = EMPTY_STRING;
                if (it.required != null) {
                    candidates.add(it.required);
                }
            }
        }
        candidates.add(run);
        Set<String> best = null;
        for (Set<String> s : candidates) {
            best = better(best, valid(s) ? s : null);
        }
        return new Info(exactSoFar ? run : null, best, leadingPrefix(items), min, max);
    }

    /** Literals every match of the concatenation starts with: its leading exact items, zero-width ones skipped. */
    private static Set<String> leadingPrefix(List<Info> items) {
        Set<String> run = EMPTY_STRING;
        for (Info it : items) {
            if (it.zeroWidth()) {
                continue;
            }
            Set<String> part = it.exact != null ? it.exact : it.prefix;
            if (part == null) {
                break;
            }
            Set<String> p = product(run, part);
            if (p == null) {
                break;
            }
            run = p;
            if (it.exact == null) {
                break;
            }
        }
        return run.contains("") ? null : run;
    }

    private static Info alt(List<Info> branches) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        Set<String> exact = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        Set<String> prefix = new LinkedHashSet<>();
        for (Info b : branches) {
            min = Math.min(min, b.min);
            max = max == RegexFacts.UNBOUNDED || b.max == RegexFacts.UNBOUNDED
                    ? RegexFacts.UNBOUNDED : Math.max(max, b.max);
            if (exact != null && b.exact != null && exact.size() + b.exact.size() <= MAX_SET) {
                exact.addAll(b.exact);
            } else {
                exact = null;
            }
            Set<String> s = best(b);
            if (required != null && s != null && required.size() + s.size() <= 2 * MAX_SET) {
                required.addAll(s);
            } else {
                required = null;
            }
            if (prefix != null && b.prefix != null && prefix.size() + b.prefix.size() <= 2 * MAX_SET) {
                prefix.addAll(b.prefix);
            } else {
                prefix = null;
            }
        }
        return new Info(exact, required, prefix, min, max);
    }

    private static Info repeat(Info a, int lo, int hi) {
        int min = capped((long) a.min * lo);
        int max = hi == RegexFacts.UNBOUNDED || a.max == RegexFacts.UNBOUNDED
                ? RegexFacts.UNBOUNDED : capped((long) a.max * hi);
        Set<String> exact = null;
        if (a.exact != null) {
            if (lo == hi && lo <= MAX_LITERAL) {
                exact = EMPTY_STRING;
                for (int i = 0; i < lo && exact != null; i++) {
                    exact = product(exact, a.exact);
                }
            } else if (lo == 0 && hi == 1) {
                exact = new LinkedHashSet<>(a.exact);
                exact.add("");
            }
        }
        Set<String> prefix = exact != null ? exact : lo >= 1 ? (a.exact != null ? a.exact : a.prefix) : null;
        return new Info(exact, lo >= 1 ? best(a) : null, prefix, min, max);
    }

    private static Set<String> product(Set<String> left, Set<String> right) {
        if ((long) left.size() * right.size() > MAX_SET) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String l : left) {
            for (String r : right) {
                String s = l + r;
                if (s.length() > MAX_LITERAL) {
                    return null;
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Set<String> best(Info info) {
        return better(valid(info.exact) ? info.exact : null, valid(info.required) ? info.required : null);
    }

    /** The set whose shortest member is longest; on a tie, the smaller set. */
    private static Set<String> better(Set<String> a, Set<String> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int la = minLength(a);
        int lb = minLength(b);
        if (la != lb) {
            return la > lb ? a : b;
        }
        return a.size() <= b.size() ? a : b;
    }

    private static boolean valid(Set<String> s) {
        return s != null && !s.isEmpty() && minLength(s) >= 1;
    }

    private static int minLength(Set<String> s) {
        int m = Integer.MAX_VALUE;
        for (String x : s) {
            m = Math.min(m, x.length());
        }
        return m;
    }

    private static boolean allAscii(Set<String> s) {
        for (String x : s) {
            for (int i = 0; i < x.length(); i++) {
                if (x.charAt(i) >= 128) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int capped(long v) {
        return v > LENGTH_CAP ? RegexFacts.UNBOUNDED : (int) v;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static final class Info {
        final Set<String> exact;
        final Set<String> required;
        /** Literals every match starts with (null when unknown); {@code exact} implies it. */
        final Set<String> prefix;
        final int min;
        final int max;

        Info(Set<String> exact, Set<String> required, int min, int max) {
            this(exact, required, exact, min, max);
        }

        Info(Set<String> exact, Set<String> required, Set<String> prefix, int min, int max) {
            this.exact = exact;
            this.required = required;
            this.prefix = prefix;
            this.min = min;
            this.max = max;
        }

        boolean zeroWidth() {
            return exact == null && min == 0 && max == 0;
        }
    }

    private static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }
}
