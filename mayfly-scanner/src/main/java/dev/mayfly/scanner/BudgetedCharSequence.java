package dev.mayfly.scanner;

/**
 * The text a rule's regex runs on, counting every character java.util.regex reads. When the step budget
 * is spent it throws {@link RegexBudgetExceeded}, which stops a catastrophically backtracking regex
 * promptly (java.util.regex has no timeout). Not thread-safe: one per scan.
 */
final class BudgetedCharSequence implements CharSequence {
    private char[] text;
    private int length;
    private long remaining = Long.MAX_VALUE;

    void reset(char[] text, int length) {
        this.text = text;
        this.length = length;
    }

    void arm(long budget) {
        remaining = budget;
    }

    void disarm() {
        remaining = Long.MAX_VALUE;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw RegexBudgetExceeded.INSTANCE;
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return text[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(text, start, end - start);
    }

    @Override
    public String toString() {
        return new String(text, 0, length);
    }

    /** Thrown from inside the regex engine when the budget is spent; carries no data and no stack. */
    static final class RegexBudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final RegexBudgetExceeded INSTANCE = new RegexBudgetExceeded();

        private RegexBudgetExceeded() {
            super("regex step budget exceeded", null, false, false);
        }
    }
}
