import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ListProjectsQuery } from '../projects/dto/list-projects.dto';
import { InvalidInput } from './errors';
import { createValidationPipe } from './validation';

const QUERY: ArgumentMetadata = { type: 'query', metatype: ListProjectsQuery, data: '' };

describe('the validation pipe on a query string', () => {
  it('validates a query once, and hands each request its own copy of the result', async () => {
    const pipe = createValidationPipe();
    const checks = jest.spyOn(ValidationPipe.prototype, 'transform');
    const raw = () => ({ regionId: '3', status: 'planned,completed', pageSize: '20' });
    const first = (await pipe.transform(raw(), QUERY)) as ListProjectsQuery;
    expect(first).toBeInstanceOf(ListProjectsQuery);
    expect(first).toEqual({ regionId: 3, status: ['planned', 'completed'], pageSize: 20 });
    first.status!.push('preparing');
    first.regionId = 99;

    const second = (await pipe.transform(raw(), QUERY)) as ListProjectsQuery;
    expect(second).toBeInstanceOf(ListProjectsQuery);
    expect(second).toEqual({ regionId: 3, status: ['planned', 'completed'], pageSize: 20 });
    expect(checks).toHaveBeenCalledTimes(1);

    // another query string is validated on its own
    const other = (await pipe.transform({ regionId: '4' }, QUERY)) as ListProjectsQuery;
    expect(other).toEqual({ regionId: 4 });
    expect(checks).toHaveBeenCalledTimes(2);
    checks.mockRestore();
  });

  it('does not keep a long query string', async () => {
    const pipe = createValidationPipe();
    const checks = jest.spyOn(ValidationPipe.prototype, 'transform');
    const long = { status: Array.from({ length: 150 }, () => 'planned').join(',') };
    for (let i = 0; i < 2; i++)
      expect(((await pipe.transform({ ...long }, QUERY)) as ListProjectsQuery).status).toHaveLength(
        150,
      );
    expect(checks).toHaveBeenCalledTimes(2);
    checks.mockRestore();
  });

  it('refuses a bad query every time, naming its fields', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      const refused = await pipe
        .transform({ regionId: '0', status: 'built', colour: 'red' }, QUERY)
        .then(() => null)
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(InvalidInput);
      expect((refused as InvalidInput).errors.map((e) => e.path).sort()).toEqual([
        'colour',
        'regionId',
        'status',
      ]);
    }
  });
});
