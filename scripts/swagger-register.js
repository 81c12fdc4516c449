// ts-node with the Nest Swagger CLI plugin (the options of nest-cli.json and
// test/support/swagger-transformer.js), so a script sees the OpenAPI document `nest build` makes.
// Usage: node -r ./scripts/swagger-register.js scripts/api-types.ts
const plugin = require('@nestjs/swagger/plugin');
const { options } = require('../test/support/swagger-transformer');

require('ts-node').register({
  // the plugin reads types: a program is needed, so no transpile-only; type errors are tsc's job
  transpileOnly: false,
  logError: false,
  transformers: (program) => ({ before: [plugin.before(options, program)] }),
});
