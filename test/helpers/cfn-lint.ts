import { spawnSync } from 'node:child_process';

/** Whether the cfn-lint CLI is on this machine (CI may not have it; the lint tests say so in their names). */
export const cfnLintFound = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

/** cfn-lint's verdict on one template: what it printed (nothing when clean) and its exit status. */
export function cfnLint(templatePath: string): { output: string; status: number | null } {
  const lint = spawnSync('cfn-lint', [templatePath], { encoding: 'utf8', timeout: 60_000 });
  return { output: lint.stdout + lint.stderr, status: lint.status };
}
