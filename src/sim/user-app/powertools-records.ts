/**
 * The records of Powertools for AWS Lambda's idempotency utility (its DynamoDBPersistenceLayer),
 * told by the requests that write them, whatever the table's attribute names (`keyAttr`,
 * `statusAttr`, ...) and hash function: a claim, as an `IDEMPOTENCY#…` item is, not the event's
 * effect. Its lock is put, completed, and deleted again when the function throws: none of that
 * changed data. Read from @aws-lambda-powertools/idempotency's DynamoDBPersistenceLayer
 * (_putRecord, _updateRecord, _deleteRecord).
 */
type Input = Record<string, unknown>;
type Names = Record<string, unknown> | undefined;
type Values = Record<string, { S?: unknown } | undefined> | undefined;

/** The lock's completion (or its refresh): `SET #expiry = :expiry, #status = :status[, ...]`. */
const COMPLETION = /^SET #expiry = :expiry, #status = :status(, |$)/;

export class PowertoolsRecords {
  /**
   * The key values of the locks put so far (the `#id` attribute's), by table: a DeleteItem names
   * only its key, and views tell the records among a table's items by them.
   */
  private readonly byTable = new Map<string, Set<string>>();

  /** The key values of the records put in `table` so far (some may have been deleted since). */
  idsIn(table: string): ReadonlySet<string> {
    return this.byTable.get(table) ?? new Set();
  }

  /** Whether `input`, a request of `operation` that succeeded, wrote a Powertools record (a lock put is remembered). */
  wrote(operation: string, input: Input): boolean {
    const names = input.ExpressionAttributeNames as Names;
    if (operation === 'PutItem') {
      // the lock: put under a condition that names the in-progress status and its expiry
      const values = input.ExpressionAttributeValues as Values;
      if (values?.[':inprogress']?.S !== 'INPROGRESS' || typeof names?.['#in_progress_expiry'] !== 'string' || typeof names['#id'] !== 'string') return false;
      const key = (input.Item as Record<string, { S?: unknown }> | undefined)?.[names['#id']]?.S;
      if (typeof key === 'string') {
        const table = String(input.TableName);
        let ids = this.byTable.get(table);
        if (ids === undefined) this.byTable.set(table, (ids = new Set()));
        ids.add(key);
      }
      return true;
    }
    if (operation === 'UpdateItem') return typeof input.UpdateExpression === 'string' && COMPLETION.test(input.UpdateExpression) && typeof names?.['#status'] === 'string';
    if (operation === 'DeleteItem') return this.isLock(String(input.TableName), input.Key);
    return false;
  }

  private isLock(table: string, key: unknown): boolean {
    const locks = this.byTable.get(table);
    if (locks === undefined || typeof key !== 'object' || key === null) return false;
    return Object.values(key as Record<string, { S?: unknown }>).some((v) => typeof v?.S === 'string' && locks.has(v.S));
  }
}
