import type { MeanInterval } from "../tuning/stats.js";
import type { AuditReport, StrategyResult } from "./audit.js";

function num(x: number | null, digits: number): string {
  if (x === null || !Number.isFinite(x)) return "-";
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s;
}

function ci(m: MeanInterval, digits: number): string {
  return Number.isFinite(m.low) && Number.isFinite(m.high) ? `[${num(m.low, digits)}, ${num(m.high, digits)}]` : "";
}

/** "alone", or "coalition 10 %". */
export function settingText(s: Pick<StrategyResult, "setting" | "coalitionShare">): string {
  return s.setting === "alone" ? "alone" : `coalition ${(s.coalitionShare! * 100).toFixed(0)} %`;
}

/** The audit as a plain-text table: one row per strategy and setting; exploits marked. */
export function auditTable(r: AuditReport): string {
  const header = [
    "strategy",
    "setting",
    "provers",
    "compute",
    "gain USD/epoch [95 % CI]",
    "gain %",
    "adv. action",
    "liveness cost [95 % CI]",
    "cost/tx change USD [95 % CI]",
    "exploit",
  ];
  const rows = r.strategies.map((s) => [
    s.name,
    settingText(s),
    String(s.identities),
    `${(s.computeShare * 100).toFixed(1)} %`,
    `${num(s.gainUsd, 2)} ${ci(s.intervals.gainUsd, 2)}`,
    s.gainPct === null ? "-" : `${num(s.gainPct, 1)} %`,
    s.adversarialActionShare === null ? "-" : `${(s.adversarialActionShare * 100).toFixed(0)} %`,
    `${num(s.livenessCost, 4)} ${ci(s.intervals.livenessCost, 4)}`,
    `${num(s.costPerTxChange, 4)} ${ci(s.intervals.costPerTxChange, 4)}`,
    s.exploit ? "EXPLOIT" : "no",
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]!))
      .join("  ")
      .trimEnd();
  const lines = [
    `exploit audit of ${r.calibration.source} (${r.experiment}): attackers copy '${r.attacker.archetype}' (${r.attacker.computeCores} cores); ` +
      `${r.seeds} paired episodes on each of ${r.scenarios.join(", ")}; profits and KPIs after ${r.warmupEpochs} warm-up epochs`,
    line(header),
    ...rows.map(line),
    ...r.skipped.map((s) => `${s.name} ${settingText(s)}: skipped, ${s.reason}`),
  ];
  const exploits = r.strategies.filter((s) => s.exploit);
  lines.push(
    exploits.length === 0
      ? "no exploit found: no strategy's gain interval lies above 0"
      : `exploits found: ${exploits.map((s) => `${s.name} (${settingText(s)})`).join(", ")}`,
  );
  return lines.join("\n") + "\n";
}
