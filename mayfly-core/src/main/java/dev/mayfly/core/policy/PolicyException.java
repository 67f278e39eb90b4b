package dev.mayfly.core.policy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.util.List;

/** A policy that cannot be used, with every problem found: a {@link ErrorCode#PRECONDITION} failure. */
public final class PolicyException extends MayflyException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(MayflyError.builder(ErrorCode.PRECONDITION, "Policy refused: " + String.join("; ", problems) + ".")
                .detail("problems", List.copyOf(problems))
                .build());
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
