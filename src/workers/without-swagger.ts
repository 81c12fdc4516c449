/**
 * Imported first by the workbook worker (src/workbook.worker.ts): `@nestjs/swagger` resolves there
 * to a stand-in. The Swagger plugin makes every DTO and view file require the package for its
 * decorators, which only describe the API for /api/docs; the worker serves no API and renders
 * workbooks, and the package with what it loads (lodash, js-yaml, path-to-regexp) is ~12 MB of
 * each worker's resident memory — which a province's report, rendered in a worker, counts against
 * its 300 MB (docs/performance.md). In the stand-in every decorator does nothing and the mapped types
 * (`PartialType`, `PickType`, …) return the class they are given.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeModule = require('node:module') as {
  _load: (request: string, parent: unknown, isMain: boolean) => unknown;
};

const MAPPED_TYPES = new Set(['PartialType', 'PickType', 'OmitType', 'IntersectionType']);
const noDecorator = () => () => undefined;
const standIn: unknown = new Proxy(
  {},
  {
    get: (_target, name) =>
      MAPPED_TYPES.has(String(name)) ? (type: unknown) => type : noDecorator,
  },
);

const load = NodeModule._load;
NodeModule._load = function (request: string, parent: unknown, isMain: boolean) {
  if (request === '@nestjs/swagger') return standIn;
  return load.call(this, request, parent, isMain);
};
