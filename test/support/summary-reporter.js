// Prints one plain closing line, "tests: N passed, N failed[, N skipped][, seed N]", after Jest's
// summary: with --randomize the seed the run's order came from, to replay it with --seed=N.
class SummaryReporter {
  constructor(globalConfig) {
    this.seed = globalConfig && globalConfig.randomize ? globalConfig.seed : null;
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    let line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    if (skipped) line += `, ${skipped} skipped`;
    if (this.seed !== null)
      line += `, seed ${this.seed} (replay: npx jest --randomize --seed=${this.seed})`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
