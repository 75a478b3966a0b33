package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;




import org.nexusswarm.actors.serialization.KryoRegistrations;
import org.nexusswarm.safety.api.credential.Credential;

/** Kryo ids 300-399: safety events, supervisor state and internal commands. Never renumber. */
public final class SafetyKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(SafetyEvent.Observed.class, 300);
        r.evolved(SafetyEvent.Observed.class, 300, 1, SafetyEvent.Observed.V1.class, SafetyEvent.Observed.V1::upgrade);
        r.register(SafetyEvent.Refused.class, 301);
        r.register(SafetyEvent.ActionProposed.class, 302);
        r.register(SafetyEvent.ActionAllowed.class, 303);
        r.register(SafetyEvent.ActionDenied.class, 304);
        r.register(SafetyEvent.Killed.class, 305);
        r.register(SafetyEvent.ApprovalRequested.class, 306);
        r.register(SafetyEvent.ApprovalResolved.class, 307);
        r.register(SafetyEvent.Escalated.class, 308);
        r.register(SafetyEvent.ReleaseRequested.class, 309);
        r.register(SafetyEvent.Released.class, 310);
        r.register(SafetyEvent.Started.class, 311);
        r.register(SafetyEvent.Checkpointed.class, 312);
        r.register(SupervisorState.Active.class, 320);
        r.register(SupervisorState.Quarantined.class, 321);
        r.register(SupervisorState.ChainHead.class, 322);
        r.register(SupervisorState.Memory.class, 323);
        r.evolved(SupervisorState.Memory.class, 323, 1, SupervisorState.Memory.V1.class, SupervisorState.Memory.V1::upgrade);
        r.evolved(SupervisorState.Memory.class, 323, 3, SupervisorState.Memory.V3.class, SupervisorState.Memory.V3::upgrade);
        r.register(SupervisorState.Checkpoints.class, 324);
        // 340-344 were the supervisor's internal commands: no longer registered (they must never cross the wire
        // or arrive through sharding). Retired: never reuse them.
        // Hot-path authentication (package auth): 330-339. Snapshots: ReplayGuard in the supervisor's state.
        r.register(org.nexusswarm.safety.internal.auth.ReplayGuard.class, 330);
        r.register(org.nexusswarm.safety.internal.auth.ReplayGuard.SenderWindow.class, 331);
        r.register(org.nexusswarm.safety.internal.auth.ReplayGuard.Verdict.class, 332);
        r.register(org.nexusswarm.safety.internal.auth.SessionKeyAnnouncement.class, 333);
        // Trajectory monitors and kill switch (package monitor): 350-359.
        r.register(org.nexusswarm.safety.internal.monitor.TrajectoryStats.class, 350);
        r.evolved(org.nexusswarm.safety.internal.monitor.TrajectoryStats.class, 350, 2,
                org.nexusswarm.safety.internal.monitor.TrajectoryStats.V2.class,
                org.nexusswarm.safety.internal.monitor.TrajectoryStats.V2::upgrade);
        r.register(org.nexusswarm.safety.internal.monitor.TrajectoryStats.Bucket.class, 351);
        // 1140: TrajectoryStats.recent's list class (written and read as an immutable list, no stored shape of its own).
        r.register(org.nexusswarm.safety.internal.monitor.ObservationWindow.class, 1140);
        // 1141: ReplayGuard.shards' list class (likewise written and read as an immutable list).
        r.register(org.nexusswarm.safety.internal.auth.SenderShards.class, 1141);
        r.register(org.nexusswarm.safety.internal.monitor.Observation.class, 352);
        r.register(org.nexusswarm.safety.internal.monitor.Assessment.class, 353);
        r.register(org.nexusswarm.safety.internal.monitor.EscalationLevel.class, 354);
        r.register(org.nexusswarm.safety.api.monitor.KillTarget.class, 355);
        r.register(org.nexusswarm.safety.api.monitor.KillTarget.Scope.class, 356);
        r.register(org.nexusswarm.safety.internal.monitor.KillSwitch.Changed.class, 357);
        r.register(Credential.class, 360);
        r.register(Credential.Limits.class, 361);
        r.register(Credential.Proof.class, 362);
        // Policy as code (package policy): 370-389. Journal: PolicyChanged; snapshots: PolicyStore.State.
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.Propose.class, 370);
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.GetPolicy.class, 371);
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.Republish.class, 372);
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.Current.class, 373);
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.State.class, 374);
        r.register(org.nexusswarm.safety.api.policy.PolicyChange.class, 375);
        r.register(org.nexusswarm.safety.api.policy.PolicyChanged.class, 376);
        // Approvals (package approval): 390-399. Journal events: Opened, SignedVote, ApprovalDecided.
        r.register(org.nexusswarm.safety.api.approval.ApprovalRequirement.class, 390);
        r.register(org.nexusswarm.safety.api.approval.ApprovalRequirement.Kind.class, 391);
        r.register(org.nexusswarm.safety.api.approval.ApprovalDecided.class, 392);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.Open.class, 393);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.CastVote.class, 394);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.Get.class, 395);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.Opened.class, 396);
        r.register(org.nexusswarm.safety.api.approval.SignedVote.class, 397);
        r.register(org.nexusswarm.safety.api.approval.ApprovalView.class, 398);
        r.register(org.nexusswarm.safety.api.approval.VoteReply.Refused.class, 399);
        // Approvals bound to what they approve (issue 8): 1110-1129.
        r.register(org.nexusswarm.safety.internal.approval.ApprovalProof.class, 1110);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.VoteRefused.class, 1111);
        // Kill means no effect, policy reads the payload (issue 8): 1130-1149. Journal: RefusalsAggregated.
        r.register(SafetyEvent.RefusalsAggregated.class, 1130);
        r.register(SafetyEvent.RefusalsAggregated.RefusalCount.class, 1131);
        // Monitors an agent cannot dance around (issue 8): 1150-1159. In snapshots, inside TrajectoryStats.
        r.register(org.nexusswarm.safety.internal.monitor.TrajectoryStats.Proposal.class, 1150);
        r.register(org.nexusswarm.safety.internal.monitor.TrajectoryStats.Seen.class, 1151);
        r.register(org.nexusswarm.safety.internal.monitor.Throttle.class, 1152);
        // Provenance-aware policy (issue 8 item 10): 1160-1169.
        r.register(org.nexusswarm.safety.internal.provenance.ProvenanceFrame.class, 1160);
        // Signed operator commands (issue 8 item 11): 1170-1189. Journal: OperatorNonces.Claimed; snapshots: State.
        r.register(org.nexusswarm.safety.api.operator.OperatorNonces.Claim.class, 1170);
        r.register(org.nexusswarm.safety.api.operator.OperatorNonces.Claimed.class, 1171);
        r.register(org.nexusswarm.safety.api.operator.OperatorNonces.State.class, 1172);
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.ProposeSigned.class, 1173);
        r.register(org.nexusswarm.safety.api.policy.PolicyChangedSigned.class, 1174);
        r.register(org.nexusswarm.safety.api.approval.TokenVote.class, 1175);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.CastSignedVote.class, 1176);
        // Supervisor journals what it holds and takes (issue 8, persist before effect): 1180-1189. Stored format 4.
        r.register(SafetyEvent.IntentHeld.class, 1180);
        r.register(SafetyEvent.OperatorCommandTaken.class, 1181);
        r.register(TakenCommands.class, 1182);
        // One signed operator command, finished (issue 8 item 11): 1190-1199. Journal: PolicyStore.ChangeRefused.
        // PolicyStore.Propose (370) and ApprovalRequest.CastVote (394) stay registered although retired: one that
        // arrives through sharding decodes and is refused LEGACY_FORMAT, journaled, instead of failing to decode.
        r.register(org.nexusswarm.safety.internal.policy.PolicyStore.ChangeRefused.class, 1190);
        // A decision is used at most once (issue 8 item 5): 1210-1214. Journal: DecisionConsumed, ConsumeRefused.
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.Consume.class, 1210);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.DecisionConsumed.class, 1211);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.ConsumeRefused.class, 1212);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.ConsumeReply.Granted.class, 1213);
        r.register(org.nexusswarm.safety.internal.approval.ApprovalRequest.ConsumeReply.Refused.class, 1214);
        // Durable safety state (issue 9 item 5): 1220-1239. Journal: Engaged, Released, Revoked, OperatorAdmitted,
        // OperatorRemoved (persistence ids safety-kill-switch|cluster, safety-revocations|cluster,
        // safety-operators|cluster).
        r.register(org.nexusswarm.safety.internal.durable.LedgerReply.class, 1220);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.Engage.class, 1221);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.Release.class, 1222);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.Get.class, 1223);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.Engaged.class, 1224);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.Released.class, 1225);
        r.register(org.nexusswarm.safety.internal.durable.KillSwitchLedger.State.class, 1226);
        r.register(org.nexusswarm.safety.internal.durable.RevocationLedger.Revoke.class, 1227);
        r.register(org.nexusswarm.safety.internal.durable.RevocationLedger.Get.class, 1228);
        r.register(org.nexusswarm.safety.internal.durable.RevocationLedger.Revoked.class, 1229);
        r.register(org.nexusswarm.safety.internal.durable.RevocationLedger.State.class, 1230);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.Admit.class, 1231);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.Remove.class, 1232);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.Get.class, 1233);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.OperatorAdmitted.class, 1234);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.OperatorRemoved.class, 1235);
        r.register(org.nexusswarm.safety.internal.durable.OperatorLedger.State.class, 1236);
    }
}
