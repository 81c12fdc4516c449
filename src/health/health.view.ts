/** `GET /api/health` when the database answers. */
export class HealthView {
  status: 'ok';
  database: 'up';
  dialect: 'sqlite' | 'postgres';
}
