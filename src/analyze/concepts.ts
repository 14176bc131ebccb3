/**
 * Concept normalisation for software-engineering vocabulary: words and phrases that mean the same
 * thing in a correction map to one concept, so "hash passwords with bcrypt" and "never store
 * credentials in cleartext" share features. Phrases are matched before single words. Kept general on
 * purpose (not tuned to one corpus): each line is a family of synonyms a reviewer might use.
 */
const FAMILIES: Record<string, string[]> = {
  test: ['test', 'tests', 'testing', 'tested', 'spec', 'specs', 'unit test', 'unit tests', 'test case', 'test cases', 'testcase', 'test suite'],
  fixture: ['fixture', 'fixtures', 'conftest', 'setup function', 'test setup', 'beforeeach', 'before each', 'setup method'],
  import: ['import', 'imports', 'imported', 'importing', 'require', 'required module', 'include', 'includes', 'module import'],
  order: ['before', 'after', 'above', 'below', 'prior', 'first', 'top of the file', 'top of file', 'precede', 'precedes', 'preceding', 'ahead of', 'following', 'earlier', 'later', 'order', 'ordering', 'placed', 'placement', 'position'],
  decorator: ['decorator', 'decorators', 'decorated', 'annotation', 'annotations', '@'],
  undefined_name: ['nameerror', 'not defined', 'undefined name', 'undefined variable', 'referenceerror', 'is not defined', 'unresolved reference'],
  visibility: ['private', 'underscore', 'underscored', 'internal', 'internals', 'non public', 'nonpublic', 'hidden method', 'protected', 'implementation detail', 'implementation details', 'public api', 'public interface', 'public method', 'public methods', 'exported', 'exported methods', 'external interface', 'encapsulation', 'encapsulated'],
  password: ['password', 'passwords', 'passwd', 'pwd', 'credential', 'credentials', 'passphrase', 'user secret'],
  plaintext: ['plain text', 'plaintext', 'cleartext', 'clear text', 'unhashed', 'unencrypted', 'in the clear', 'raw password', 'as is'],
  hashing: ['hash', 'hashed', 'hashing', 'bcrypt', 'argon2', 'scrypt', 'pbkdf2', 'salt', 'salted', 'digest'],
  secret: ['secret', 'secrets', 'api key', 'api keys', 'token', 'tokens', 'access key', 'private key'],
  hardcoded: ['hardcoded', 'hard coded', 'hard-coded', 'inline literal', 'literal', 'committed', 'committed to the repo', 'checked in', 'embedded in code', 'in source', 'in the source', 'out of the repository', 'in the repo'],
  env_config: ['environment variable', 'environment variables', 'env var', 'env vars', 'process.env', 'os.environ', 'configuration', 'config file', 'vault', 'secret manager'],
  sql_injection: ['sql injection', 'sqli', 'injection', 'string concatenation', 'concatenated', 'concatenating', 'interpolated', 'interpolation', 'f string', 'f-string', 'format string', 'string formatting', 'template string'],
  parameterized: ['parameterized', 'parameterised', 'parametrized', 'prepared statement', 'prepared statements', 'bind parameter', 'bind parameters', 'placeholder', 'placeholders', 'query parameter', 'query parameters', 'bound parameters'],
  query: ['query', 'queries', 'sql', 'select', 'database call', 'database calls', 'db call', 'db calls', 'db query', 'statement', 'orm'],
  loop: ['loop', 'loops', 'for each', 'foreach', 'iteration', 'iterating', 'per row', 'per item', 'each row', 'each item', 'every row', 'inside a for', 'n+1', 'n + 1', 'n plus one'],
  eager: ['eager', 'eager load', 'eager loading', 'prefetch', 'prefetch_related', 'select_related', 'join', 'joins', 'batch', 'batched', 'batching', 'bulk', 'in one query', 'single query', 'dataloader'],
  cache: ['cache', 'caches', 'cached', 'caching', 'memoize', 'memoized', 'memo'],
  invalidate: ['invalidate', 'invalidated', 'invalidation', 'evict', 'eviction', 'stale', 'expire', 'expiry', 'ttl', 'bust', 'refreshed', 'refresh'],
  out_of_sync: ['outdated', 'out of date', 'in sync', 'out of sync', 'no longer', 'no longer match', 'does not match', 'mismatch', 'mismatched', 'not updated', 'was removed', 'wrong description', 'inaccurate'],
  boolean: ['boolean', 'booleans', 'bool', 'bools', 'true/false', 'true or false', 'flag', 'flags', 'is prefix', 'has prefix', 'predicate'],
  versioning: ['version', 'versions', 'versioning', 'versioned', 'v1', 'v2', '/v1', 'api version', 'version prefix'],
  endpoint: ['endpoint', 'endpoints', 'route', 'routes', 'url', 'urls', 'path', 'resource', 'handler', 'controller'],
  http_verb: ['get request', 'post request', 'http verb', 'http method', 'http methods', 'verb', 'put', 'patch', 'delete'],
  side_effect: ['side effect', 'side effects', 'mutate', 'mutates', 'mutation', 'modifies state', 'changes state', 'writes'],
  status_code: ['status code', 'status codes', 'http status', '200', '201', '204', '400', '404', '500', 'response code'],
  naming: ['name', 'names', 'naming', 'named', 'rename', 'renamed', 'convention', 'conventions', 'identifier'],
  prefix: ['prefix', 'prefixed', 'suffix', 'suffixed', 'starts with', 'start with', 'ends with'],
  casing: ['camelcase', 'camel case', 'snake case', 'snake_case', 'pascalcase', 'pascal case', 'kebab case', 'uppercase', 'lowercase', 'capitalized', 'casing'],
  requirement: ['requirement id', 'requirement ids', 'requirement', 'requirements', 'req id', 'ticket id', 'ticket number', 'traceability', 'issue number', 'jira'],
  docstring: ['docstring', 'docstrings', 'doc comment', 'doc comments', 'jsdoc', 'javadoc', 'tsdoc', 'documentation comment', 'api docs', 'documented', 'undocumented'],
  comment: ['comment', 'comments', 'commented', 'remark', 'explanation', 'explain', 'explains', 'unclear', 'misleading', 'outdated comment'],
  readme: ['readme', 'changelog', 'docs', 'documentation', 'guide', 'wiki'],
  retry: ['retry', 'retries', 'retried', 'retrying', 're-attempt', 'reattempt', 'try again', 'tries again', 'backoff', 'back off', 'resend', 'resubmit'],
  idempotency: ['idempotency', 'idempotent', 'idempotency key', 'dedup', 'dedupe', 'deduplicate', 'deduplication', 'duplicate', 'duplicates', 'duplicated', 'double charge', 'charged twice', 'twice', 'exactly once', 'at most once'],
  timeout: ['timeout', 'timeouts', 'timed out', 'time out', 'times out', 'deadline', '504', 'gateway timeout', 'hung', 'hangs'],
  ambiguous: ['ambiguous', 'unknown outcome', 'unclear result', 'indeterminate', 'uncertain', 'might have succeeded', 'may have succeeded', 'reconcile', 'reconciliation'],
  notification: ['notification', 'notifications', 'notify', 'email', 'emails', 'sms', 'push notification', 'alert the user', 'message the user'],
  rate_limit: ['rate limit', 'rate limiting', 'rate-limit', 'throttle', 'throttling', 'debounce', 'spam', 'flood'],
  null: ['null', 'nil', 'none', 'undefined', 'nullable', 'optional', 'missing value', 'null check', 'null pointer', 'npe', 'nullpointerexception', 'typeerror cannot read'],
  async: ['async', 'await', 'awaited', 'unawaited', 'promise', 'promises', 'then', 'floating promise', 'fire and forget', 'callback', 'callbacks'],
  logging: ['log', 'logs', 'logging', 'logged', 'logger', 'console.log', 'print', 'printf', 'println', 'print statement', 'debug output'],
  pii: ['pii', 'personal data', 'personally identifiable', 'gdpr', 'email address', 'phone number', 'user data', 'customer data', 'consent', 'privacy'],
  transaction: ['transaction', 'transactions', 'transactional', 'atomic', 'atomically', 'commit', 'rollback', 'roll back', 'unit of work'],
  concurrency: ['race', 'race condition', 'concurrent', 'concurrency', 'concurrently', 'lock', 'locking', 'mutex', 'thread safe', 'thread-safe', 'parallel', 'simultaneous'],
  error_handling: ['catch', 'caught', 'swallow', 'swallowed', 'swallowing', 'ignore the error', 'ignored error', 'ignores errors', 'empty catch', 'except pass', 'bare except', 'rescue', 'silently', 'suppress', 'suppressed'],
  exception: ['exception', 'exceptions', 'error', 'errors', 'throw', 'throws', 'thrown', 'raise', 'raises', 'raised'],
  mock: ['mock', 'mocks', 'mocked', 'mocking', 'stub', 'stubs', 'stubbed', 'fake', 'fakes', 'spy', 'spies', 'test double', 'monkeypatch', 'patch'],
  assertion: ['assert', 'asserts', 'assertion', 'assertions', 'expect', 'expectation', 'expectations', 'verify', 'verifies', 'check the result', 'checks nothing'],
  flaky: ['flaky', 'flake', 'flakes', 'intermittent', 'intermittently', 'nondeterministic', 'non deterministic', 'sometimes fails', 'random failure', 'randomly fails', 'sleep', 'sleeps', 'wait for', 'timing dependent'],
  magic_number: ['magic number', 'magic numbers', 'magic value', 'magic string', 'unnamed constant', 'literal number', 'named constant'],
  dependency_rule: ['dependency', 'dependencies', 'depends on', 'depend on', 'coupling', 'coupled', 'layer', 'layers', 'layering', 'layer violation', 'dependency violation', 'import from infrastructure', 'reaches into'],
  god_class: ['god class', 'god object', 'too large', 'too big', 'too many responsibilities', 'single responsibility', 'responsibility', 'responsibilities', 'srp', 'does too much', 'split the class', 'huge class', 'thousand lines', 'unrelated features', 'keeps growing'],
  domain: ['domain', 'domain model', 'aggregate', 'aggregates', 'bounded context', 'entity', 'entities', 'value object', 'value objects', 'ddd', 'repository pattern', 'domain layer'],
  performance: ['slow', 'slowness', 'latency', 'performance', 'perf', 'expensive', 'inefficient', 'bottleneck', 'hot path'],
  memory: ['memory', 'leak', 'leaks', 'memory leak', 'oom', 'out of memory', 'heap', 'allocation', 'allocations'],
  pagination: ['pagination', 'paginate', 'paginated', 'page size', 'limit offset', 'cursor', 'unbounded list', 'all rows', 'whole table'],
  validation: ['validate', 'validates', 'validated', 'validation', 'sanitize', 'sanitise', 'sanitized', 'escape', 'escaped', 'untrusted input', 'user input', 'input checking'],
  xss: ['xss', 'cross site scripting', 'cross-site scripting', 'innerhtml', 'dangerouslysetinnerhtml', 'unescaped html', 'html injection'],
  csrf: ['csrf', 'xsrf', 'cross site request forgery', 'csrf token', 'anti forgery'],
  auth: ['authentication', 'authenticate', 'authorization', 'authorize', 'authorise', 'permission', 'permissions', 'access control', 'auth check', 'role check'],
  encryption: ['encrypt', 'encrypted', 'encryption', 'tls', 'https', 'ssl', 'at rest', 'in transit'],
  migration: ['migration', 'migrations', 'schema change', 'alter table', 'backfill'],
  index_db: ['index', 'indexes', 'indices', 'indexed', 'full table scan', 'table scan', 'seq scan', 'scan', 'scans', 'scanned', 'sequential scan'],
  type_safety: ['any', 'type any', 'as any', 'type assertion', 'cast', 'casting', 'untyped', 'type safety', 'typed', 'typing', 'type hints', 'type hint'],
  equality: ['==', '===', 'strict equality', 'loose equality', 'eqeqeq', 'equals'],
  unused: ['unused', 'dead code', 'never used', 'not used', 'leftover', 'unreachable'],
  deprecated: ['deprecated', 'deprecation', 'legacy', 'obsolete', 'old api'],
  date_time: ['date', 'dates', 'datetime', 'timezone', 'time zone', 'utc', 'local time', 'naive datetime', 'timestamp', 'timestamps'],
  money: ['money', 'currency', 'amount', 'amounts', 'float for money', 'floating point', 'decimal', 'cents', 'rounding'],
  payment: ['payment', 'payments', 'charge', 'charges', 'charged', 'billing', 'invoice', 'invoices', 'refund', 'refunds', 'gateway', 'checkout'],
  file_io: ['file handle', 'file handles', 'close the file', 'unclosed', 'resource leak', 'with statement', 'context manager', 'try with resources', 'finally'],
  magic_sleep: ['sleep', 'time.sleep', 'settimeout', 'thread.sleep', 'arbitrary wait', 'fixed delay'],
  snapshot: ['snapshot', 'snapshots', 'golden file', 'approval test'],
  coverage: ['coverage', 'covered', 'uncovered', 'untested', 'no tests', 'missing tests', 'without tests'],
  error_message: ['error message', 'error messages', 'message', 'wording', 'user facing text', 'stack trace', 'stacktrace', 'leak internals'],
  global_state: ['global', 'globals', 'global state', 'singleton', 'shared state', 'module level state', 'static state', 'mutable default'],
  config_flag: ['feature flag', 'feature flags', 'feature toggle', 'toggle'],
  dependency_injection: ['dependency injection', 'inject', 'injected', 'constructor injection', 'new inside', 'instantiate directly', 'service locator'],
};

export interface ConceptLexicon {
  /** Single words (already lower case) → concept. */
  words: Map<string, string>;
  /** Multi-word phrases by their first word, longest first, as token arrays. */
  phrases: Map<string, Array<{ tokens: string[]; concept: string }>>;
}

function build(): ConceptLexicon {
  const words = new Map<string, string>();
  const phrases: Array<{ tokens: string[]; concept: string }> = [];
  for (const [concept, terms] of Object.entries(FAMILIES)) {
    for (const term of terms) {
      const tokens = term.toLowerCase().split(/[\s_-]+/).filter(Boolean);
      if (tokens.length === 1) {
        if (!words.has(tokens[0]!)) words.set(tokens[0]!, concept);
      } else {
        phrases.push({ tokens, concept });
      }
    }
  }
  phrases.sort((a, b) => b.tokens.length - a.tokens.length);
  const byFirst = new Map<string, Array<{ tokens: string[]; concept: string }>>();
  for (const phrase of phrases) byFirst.set(phrase.tokens[0]!, [...(byFirst.get(phrase.tokens[0]!) ?? []), phrase]);
  return { words, phrases: byFirst };
}

export const LEXICON: ConceptLexicon = build();
