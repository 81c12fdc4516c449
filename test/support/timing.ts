/**
 * A test that measures the machine rather than a rule (latency under load, a burst of requests):
 * `npm test` runs it, `npm run test:fast` (SKIP_TIMING=1, the edit loop) skips it. Its bounds are
 * margins over what the project's 2-core machine measured; each such test says the measured value.
 */
export const timingIt: jest.It = process.env.SKIP_TIMING ? it.skip : it;
