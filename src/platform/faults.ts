// Named fault points for crash tests (issue 13: a campaign survives a worker killed at each step). Production code
// calls `faultPoint('mail.after-accept')` at the steps whose crash matters; nothing happens unless the process was
// started with CANDOR_FAULT_AT=<name>:<n>, in which case the n-th time the named point is reached the process kills
// itself with SIGKILL, as an operating system or an out-of-memory killer would: no cleanup, no flush, no handler.
// Read once at start; the variable is for tests and has no other effect (decision 0049).

// `<name>:<n>:stop` stops the process instead (SIGSTOP: a stall, as a paused VM or a swapped-out process would),
// for tests of a lease that runs out while its holder is frozen; the test resumes it with SIGCONT.
const spec = /^([a-z][a-z0-9.-]*):([1-9][0-9]*)(:stop)?$/.exec(process.env.CANDOR_FAULT_AT?.trim() ?? '');
const target = spec ? { name: spec[1]!, at: Number(spec[2]), signal: spec[3] ? 'SIGSTOP' : 'SIGKILL' } : undefined;
let reached = 0;

/** Marks a step a crash test may kill the process at (see the file's comment); free when no fault is armed. */
export function faultPoint(name: string): void {
  if (target === undefined || target.name !== name) return;
  reached++;
  if (reached === target.at) process.kill(process.pid, target.signal);
}
