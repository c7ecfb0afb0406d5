package io.fxflink.contracts.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CesqlFiltersTest {
    @Test
    void aFilterCallingAFunctionTheRuntimeDoesNotHaveIsAProblem() {
        assertThat(CesqlFilters.problem("FOO(1) = 1"))
                .hasValueSatisfying(p -> assertThat(p).contains("unknown").contains("FOO/1"));
        // not hidden behind a branch that short-circuits
        assertThat(CesqlFilters.problem("TRUE OR bar(source, 2) = 'x'"))
                .hasValueSatisfying(p -> assertThat(p).contains("BAR/2"));
    }

    @Test
    void aKnownFunctionWithTheWrongNumberOfArgumentsIsAProblem() {
        assertThat(CesqlFilters.problem("LENGTH(source, 1) > 2"))
                .hasValueSatisfying(p -> assertThat(p).contains("LENGTH/2"));
    }

    @Test
    void knownFunctionsInAnyCaseAreFine() {
        assertThat(CesqlFilters.problem("length(source) > 2 AND UPPER(type) LIKE 'COM.%'"))
                .isEmpty();
        assertThat(CesqlFilters.problem("ABS(-1) = 1 AND concat(type, 'x') = 'ax'")).isEmpty();
    }
}
