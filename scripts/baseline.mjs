// The previous release build, for npm run bench's ratios (issue 22: every figure beside the same figure for the
// previous build, measured in the same run, since this machine is noisy). bench/baseline.json names the commit
// (the last landed one); its tree is exported with git archive (no checkout, no worktree) into
// build/baseline/<commit>/ and built there with its own scripts/build.sh, once: later runs reuse its dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function baseline(root, env) {
  const { rev, why } = JSON.parse(readFileSync(join(root, 'bench', 'baseline.json'), 'utf8'));
  const dir = join(root, 'build', 'baseline', rev.slice(0, 12));
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    console.log(`building the previous release (${rev.slice(0, 12)}: ${why}) in ${dir} — once, a few minutes…`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('bash', ['-c', `git archive ${rev} | tar -x -C "${dir}"`], { cwd: root, stdio: 'inherit' });
    if (archive.status !== 0) throw new Error(`git archive ${rev} failed (is the commit in this clone?)`);
    const build = spawnSync('bash', ['scripts/build.sh'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error(`the previous release's build failed in ${dir}`);
  }
  return { rev, why, dir, dist, web: join(dir, 'build', 'wasm', 'web') };
}
