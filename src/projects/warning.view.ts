/** A warning shown beside a record; never blocks a write. */
export class Warning {
  code: string;
  message: string;
}
