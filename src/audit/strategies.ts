/**
 * The exploit audit's adversarial strategies (docs/MODEL.md, section 19):
 * - `withhold`: the attackers may accept assignments and never prove them (jobs miss, emergencies follow);
 * - `snipe`: the attackers may take races only, with the least compute that keeps them eligible, to
 *   collect race compensation and participation points without ordinary work;
 * - `split`: the attackers' compute is split into several identities instead of one.
 */
export const AUDIT_STRATEGIES = ["withhold", "snipe", "split"] as const;
export type AuditStrategy = (typeof AUDIT_STRATEGIES)[number];
