// Applies the Nest Swagger CLI plugin under ts-jest, as `nest build` does (see nest-cli.json: keep
// the options in step). scripts/swagger-register.js applies the same plugin under ts-node.
const transformer = require('@nestjs/swagger/plugin');

const options = {
  classValidatorShim: true,
  introspectComments: true,
  dtoFileNameSuffix: ['.dto.ts', '.view.ts'],
};

module.exports.options = options;
module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) => transformer.before(options, cs.program);
