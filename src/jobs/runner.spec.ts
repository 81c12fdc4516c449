import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { RUNNER, runnerIsDead } from './jobs.service';

describe('runnerIsDead (a job left by a process that is gone)', () => {
  const host = os.hostname();

  it('is this process itself while it runs, under the same boot', () => {
    expect(RUNNER.startsWith(`${host}/${process.pid}/`)).toBe(true);
    expect(runnerIsDead(RUNNER)).toBe(false);
  });

  it('is dead: this pid under another boot (a restarted container), or a pid no longer alive', () => {
    expect(runnerIsDead(`${host}/${process.pid}/00000000`)).toBe(true);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    expect(runnerIsDead(`${host}/${gone.stdout.toString()}/abcdef12`)).toBe(true);
  });

  it('is alive or unknown: a live pid of this host, another host, no runner, or a malformed one', () => {
    expect(runnerIsDead(`${host}/${process.ppid}/abcdef12`)).toBe(false);
    expect(runnerIsDead(`another-host.example/${process.pid}/00000000`)).toBe(false);
    expect(runnerIsDead(null)).toBe(false);
    expect(runnerIsDead('nonsense')).toBe(false);
    expect(runnerIsDead(`${host}/x/abcdef12`)).toBe(false);
  });
});
