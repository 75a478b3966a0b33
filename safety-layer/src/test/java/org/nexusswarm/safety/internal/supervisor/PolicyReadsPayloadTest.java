package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.PayloadSchema;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.internal.supervisor.SupervisorHarness.Running;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Divert;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Lie;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Measured;
import org.nexusswarm.safety.internal.supervisor.TestPayloads.Note;

/**
 * Red team, issue 8 item 6: policy judges the payload that travels, not the parameters a logic states. A logic that
 * states {@code mw = 10} while its payload says 5000 MW is denied and nothing is delivered; a payload type the logic
 * does not declare, or declares for another action class, is denied; the supervisor reads the payload without
 * running any of the logic's code.
 */
@ExtendWith(LogCapturingExtension.class)
class PolicyReadsPayloadTest {

    private static final String SHED = "grid.shed-load";
    private static final String FUNDS = "funds.transfer";
    private static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "grid-8");

    private static SupervisorHarness h;

    @BeforeAll
    static void start() {
        h = new SupervisorHarness("PolicyReadsPayloadTest", "nexus.swarm.safety.max-denials = 50");
    }

    @AfterAll
    static void stop() {
        h.shutdown();
    }

    @BeforeEach
    void reset() {
        h.reset();
        h.fixture.usePolicies(SafetyFixture.policy(30, "rules {\n  anything { action = \"*\" }\n"
                + "  shed { action = \"grid.shed-load\", parameters { mw { min = 0, max = 50 } } }\n}\n"
                + "monitors { envelope-drift { warn = 5 } }"));
    }

    /** Makes the logic propose {@code payload} under {@code actionClass}, stating {@code stated}; its outcome. */
    private static AgentInput.Outcome lie(Running r, String intentId, String actionClass, Map<String, Double> stated,
            SwarmMessage payload) {
        Lie lie = new Lie(intentId, actionClass, TARGET, stated, payload);
        assertInstanceOf(org.nexusswarm.actors.protocol.DeliveryReply.Accepted.class,
                h.deliver(r, h.fixture.fromOperator(r.address(), lie)).reply());
        Inputs.expectInbound(r.entity().inputs(), SafetyFixture.OPERATOR, lie);
        AgentInput.Outcome outcome = r.entity().inputs().expectMessageClass(AgentInput.Outcome.class);
        assertEquals(intentId, outcome.intentId());
        return outcome;
    }

    private static ActionDenied assertDenied(Running r, AgentInput.Outcome outcome, RefusalCode code) {
        assertFalse(outcome.allowed(), outcome.reason());
        ActionDenied denied = h.last(r, ActionDenied.class);
        assertEquals(code, denied.code(), denied.detail());
        assertEquals(outcome.intentId(), denied.intentId());
        h.router.expectNoMessage();
        return denied;
    }

    @Test
    void statingTenMegawattsWhileThePayloadSaysFiveThousandIsDeniedAndNeverDelivered() {
        Running r = h.run(List.of(SHED));

        AgentInput.Outcome outcome = lie(r, "liar-1", SHED, Map.of("mw", 10.0), new Measured("shed", 5000.0, null));

        ActionDenied denied = assertDenied(r, outcome, RefusalCode.PARAMETER_MISMATCH);
        assertTrue(denied.detail().contains("mw = 10.0") && denied.detail().contains("5000.0"), denied.detail());
        assertTrue(outcome.reason().startsWith(RefusalCode.PARAMETER_MISMATCH + ": "), outcome.reason());
    }

    @Test
    void aPayloadIsJudgedOnWhatItSaysEvenWhenTheIntentStatesNothing() {
        Running r = h.run(List.of(SHED));

        AgentInput.Outcome over = lie(r, "quiet-1", SHED, Map.of(), new Measured("shed", 5000.0, null));

        ActionDenied denied = assertDenied(r, over, RefusalCode.OUT_OF_ENVELOPE);
        assertTrue(denied.detail().contains("5000"), denied.detail());
        assertEquals(Map.of("mw", 5000.0), h.last(r, ActionProposed.class).parameters(),
                "the journal records the parameters policy judged: those of the payload");

        AgentInput.Outcome within = lie(r, "quiet-2", SHED, Map.of(), new Measured("shed", 40.0, null));

        assertTrue(within.allowed(), within.reason());
        assertEquals(Map.of("mw", 40.0), h.last(r, ActionProposed.class).parameters());
        assertEquals(new Measured("shed", 40.0, null),
                SafetyFixture.message(h.router.receiveMessage().envelope()));
    }

    @Test
    void aPayloadTypeTheLogicDoesNotDeclareIsDenied() {
        Running r = h.run(List.of(SHED));

        AgentInput.Outcome outcome = lie(r, "undeclared-1", SHED, Map.of(), new Divert("cell-1", 5.0));

        ActionDenied denied = assertDenied(r, outcome, RefusalCode.PAYLOAD_NOT_DECLARED);
        assertTrue(denied.detail().contains(Divert.class.getName()), denied.detail());
    }

    @Test
    void aDeclaredPayloadSentUnderAnotherActionClassIsDenied() {
        // The credential allows both; the logic declares its payloads for shed-load only.
        Running r = h.run(h.fixture.deployDeclaring("narrow", List.of(SHED, FUNDS), Set.of(SHED)));

        AgentInput.Outcome outcome = lie(r, "other-class-1", FUNDS, Map.of(), new Note("move money"));

        ActionDenied denied = assertDenied(r, outcome, RefusalCode.PAYLOAD_NOT_DECLARED);
        assertTrue(denied.detail().contains("not for '" + FUNDS + "'"), denied.detail());
        assertTrue(lie(r, "same-payload-1", SHED, Map.of(), new Measured("ok", 1.0, null)).allowed());
        h.router.receiveMessage();
    }

    @Test
    void anActionOutsideTheCredentialIsStillReportedAsSuch() {
        Running r = h.run(List.of(SHED));

        AgentInput.Outcome outcome = lie(r, "cred-1", FUNDS, Map.of(), new Divert("cell-1", 5.0));

        assertDenied(r, outcome, RefusalCode.NOT_IN_CREDENTIAL);
    }

    // ---- the reading itself, without actors ----------------------------------------------------------------

    /** A payload whose accessor lies (and would run the logic's code): the supervisor reads the field. */
    record Sneaky(double mw) implements SwarmMessage {
        @Override
        public double mw() {
            throw new IllegalStateException("an accessor ran inside the supervisor");
        }
    }

    /** A pack's own Number: its doubleValue() would run pack code. */
    static final class Evil extends Number {
        @Override
        public int intValue() {
            return 0;
        }

        @Override
        public long longValue() {
            return 0;
        }

        @Override
        public float floatValue() {
            return 0;
        }

        @Override
        public double doubleValue() {
            throw new IllegalStateException("pack code ran");
        }
    }

    record EvilNumber(Number mw) implements SwarmMessage {}

    record Labelled(String mw) implements SwarmMessage {}

    private static AgentLogic<Long> declaring(List<PayloadSchema> schemas) {
        return new AgentLogic<>() {
            @Override
            public String version() {
                return "declaring/1";
            }

            @Override
            public Long init(AgentContext context) {
                return 0L;
            }

            @Override
            public Step<Long> step(Long state, AgentInput input) {
                return Step.of(state);
            }

            @Override
            public List<PayloadSchema> payloads() {
                return schemas;
            }
        };
    }

    private static Intent intent(SwarmMessage payload, Map<String, Double> stated) {
        return new Intent("i", SHED, TARGET, payload, stated);
    }

    @Test
    void aLogicThatDeclaresNothingCanSendNoPayload() {
        PayloadParameters nothing = PayloadParameters.of(declaring(List.of()));

        var refused = assertInstanceOf(PayloadParameters.Refusal.class, nothing.check(intent(new Note("x"), Map.of())));
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, refused.code());
        assertEquals(new PayloadParameters.Read(Map.of()), nothing.check(intent(null, Map.of())),
                "an intent without a payload carries nothing to lie about");
        assertEquals(RefusalCode.PARAMETER_MISMATCH, assertInstanceOf(PayloadParameters.Refusal.class,
                nothing.check(intent(null, Map.of("mw", 10.0)))).code(), "but it may state no parameters");
    }

    @Test
    void componentsAreReadFromFieldsNeverThroughTheLogicsCode() {
        PayloadParameters sneaky = PayloadParameters.of(declaring(List.of(PayloadSchema.of(Sneaky.class, SHED, "mw"))));

        assertEquals(new PayloadParameters.Read(Map.of("mw", 5000.0)),
                sneaky.check(intent(new Sneaky(5000), Map.of())));

        PayloadParameters evil = PayloadParameters.of(declaring(List.of(PayloadSchema.of(EvilNumber.class, SHED,
                "mw"))));
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, assertInstanceOf(PayloadParameters.Refusal.class,
                evil.check(intent(new EvilNumber(new Evil()), Map.of()))).code(), "only JDK number types are read");
    }

    @Test
    void badDeclarationsRefuseThePayloadInsteadOfGuessing() {
        PayloadParameters text = PayloadParameters.of(declaring(List.of(PayloadSchema.of(Labelled.class, SHED,
                "mw"))));
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, assertInstanceOf(PayloadParameters.Refusal.class,
                text.check(intent(new Labelled("5000"), Map.of()))).code());

        PayloadParameters missing = PayloadParameters.of(declaring(List.of(PayloadSchema.of(Measured.class, SHED,
                "megawatts"))));
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, assertInstanceOf(PayloadParameters.Refusal.class,
                missing.check(intent(new Measured("x", 1.0, null), Map.of()))).code());

        PayloadParameters conflicting = PayloadParameters.of(declaring(List.of(
                PayloadSchema.of(Measured.class, SHED, "mw"), PayloadSchema.of(Measured.class, FUNDS, "fuel"))));
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, assertInstanceOf(PayloadParameters.Refusal.class,
                conflicting.check(intent(new Measured("x", 1.0, null), Map.of()))).code());

        AgentLogic<Long> throwing = new AgentLogic<>() {
            @Override
            public String version() {
                return "throwing/1";
            }

            @Override
            public Long init(AgentContext context) {
                return 0L;
            }

            @Override
            public Step<Long> step(Long state, AgentInput input) {
                return Step.of(state);
            }

            @Override
            public List<PayloadSchema> payloads() {
                throw new IllegalStateException("no");
            }
        };
        assertEquals(RefusalCode.PAYLOAD_NOT_DECLARED, assertInstanceOf(PayloadParameters.Refusal.class,
                PayloadParameters.of(throwing).check(intent(new Note("x"), Map.of()))).code());
    }

    @Test
    void aStatedParameterThePayloadDoesNotCarryIsALie() {
        PayloadParameters probe = PayloadParameters.of(declaring(List.of(PayloadSchema.of(Measured.class, SHED, "mw",
                "fuel"))));

        assertEquals(RefusalCode.PARAMETER_MISMATCH, assertInstanceOf(PayloadParameters.Refusal.class,
                probe.check(intent(new Measured("x", 10.0, null), Map.of("mw", 10.0, "fuel", 1.0)))).code());
        assertEquals(RefusalCode.PARAMETER_MISMATCH, assertInstanceOf(PayloadParameters.Refusal.class,
                probe.check(intent(new Measured("x", 10.0, null), Map.of("load", 1.0)))).code());
        assertEquals(new PayloadParameters.Read(Map.of("mw", 10.0, "fuel", 2.0)),
                probe.check(intent(new Measured("x", 10.0, 2.0), Map.of("mw", 10.0))),
                "what the payload carries counts even when the intent does not restate it");
    }
}
