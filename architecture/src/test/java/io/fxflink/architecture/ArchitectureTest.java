package io.fxflink.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;

import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;

/** Rules every module's production code keeps (tests are not analysed). */
@AnalyzeClasses(packages = "io.fxflink", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final ArchCondition<JavaCodeUnit> WRITE_TO_STANDARD_STREAMS =
            new ArchCondition<>("write to System.out or System.err") {
                @Override
                public void check(JavaCodeUnit unit, ConditionEvents events) {
                    for (JavaFieldAccess access : unit.getFieldAccesses()) {
                        String name = access.getTarget().getName();
                        if (access.getTargetOwner().isEquivalentTo(System.class)
                                && (name.equals("out") || name.equals("err"))) {
                            events.add(
                                    SimpleConditionEvent.satisfied(unit, access.getDescription()));
                        }
                    }
                }
            };

    /** The executor and the manager read the jobs' topics without dragging Flink in. */
    @ArchTest
    static final ArchRule servicesAndContractsStayFreeOfFlink =
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            "io.fxflink.contracts..",
                            "io.fxflink.executor..",
                            "io.fxflink.manager..",
                            "io.fxflink.config..",
                            "io.fxflink.schema..",
                            "io.fxflink.cli..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("org.apache.flink..")
                    .because(
                            "DESIGN.md: the record types and their serde must not drag Flink into the services");

    /** Controllers do HTTP; services and repositories know nothing of Javalin. */
    @ArchTest
    static final ArchRule managerLogicIsFreeOfJavalin =
            noClasses()
                    .that()
                    .resideInAPackage("io.fxflink.manager..")
                    .and()
                    .haveSimpleNameEndingWith("Service")
                    .or()
                    .haveSimpleNameEndingWith("Repository")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.javalin..")
                    .allowEmptyShould(true);

    /** Operators are named classes: anonymous ones cannot be found in a savepoint's story. */
    @ArchTest
    static final ArchRule flinkFunctionsAreNamedClasses =
            classes()
                    .that()
                    .implement(org.apache.flink.api.common.functions.Function.class)
                    .should()
                    .notBeAnonymousClasses()
                    .andShould()
                    .notBeLocalClasses()
                    .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noJavaUtilLogging =
            GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    /**
     * Logs go through SLF4J; only command lines, {@code main} methods (usage and help text) and
     * benchmarks talk to the terminal.
     */
    @ArchTest
    static final ArchRule noStandardStreamsOutsideCommandLines =
            noCodeUnits()
                    .that()
                    .doNotHaveName("main")
                    .and()
                    .areDeclaredInClassesThat()
                    .resideOutsideOfPackages("io.fxflink.cli..", "..bench..")
                    .and()
                    .areDeclaredInClassesThat()
                    .haveSimpleNameNotEndingWith("Main")
                    .and()
                    .areDeclaredInClassesThat()
                    .areNotNestedClasses()
                    .should(WRITE_TO_STANDARD_STREAMS)
                    .because("logs say what happened to which event or execution, through SLF4J");
}
