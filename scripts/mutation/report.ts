/** Reads Stryker's JSON report (mutation-testing-report-schema) into kill rates and surviving mutants. */

interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

export interface StrykerReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface FileScore {
  file: string;
  killed: number;
  /** Mutants that ran: killed (or timed out) and survived (or not covered). */
  valid: number;
  /** Disabled by a `// Stryker disable` comment, each with its reason beside the code. */
  ignored: number;
  /** Mutants the TypeScript checker refused: they cannot be written, so they are not counted. */
  invalid: number;
  survivors: { where: string; mutator: string; replacement: string }[];
}

const KILLED = new Set(["Killed", "Timeout"]);
const LIVED = new Set(["Survived", "NoCoverage"]);

export function scoresOf(report: StrykerReport): FileScore[] {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const survivors = mutants
      .filter((m) => LIVED.has(m.status))
      .map((m) => ({
        where: `${file}:${m.location.start.line}:${m.location.start.column}`,
        mutator: m.mutatorName,
        replacement: (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 100),
      }));
    const killed = mutants.filter((m) => KILLED.has(m.status)).length;
    return {
      file,
      killed,
      valid: killed + survivors.length,
      ignored: mutants.filter((m) => m.status === "Ignored").length,
      invalid: mutants.filter((m) => m.status === "CompileError" || m.status === "RuntimeError").length,
      survivors,
    };
  });
}

export const percent = (score: FileScore) => (score.valid === 0 ? 100 : (100 * score.killed) / score.valid);

export function formatScore(score: FileScore): string {
  const extra = [score.ignored && `${score.ignored} ignored`, score.invalid && `${score.invalid} not compiling`]
    .filter(Boolean)
    .join(", ");
  const rate = `${percent(score).toFixed(1)}%`.padStart(6);
  return `${rate}  ${score.killed}/${score.valid} killed  ${score.file}${extra ? `  (${extra})` : ""}`;
}
