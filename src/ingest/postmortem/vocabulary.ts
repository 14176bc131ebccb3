/**
 * Systems, entities and kinds of failure mentioned in a postmortem: what the document states in
 * fields first, then well-known system names and failure words found in its text.
 */

const SYSTEMS: Array<[string, RegExp]> = [
  ['Kubernetes', /\b(kubernetes|k8s)\b/i],
  ['Kafka', /\bkafka\b/i],
  ['Redis', /\bredis\b/i],
  ['PostgreSQL', /\b(postgres(ql)?|pg_\w+)\b/i],
  ['MySQL', /\bmysql\b/i],
  ['MongoDB', /\bmongo(db)?\b/i],
  ['Elasticsearch', /\belastic ?search\b/i],
  ['ClickHouse', /\bclickhouse\b/i],
  ['Cassandra', /\bcassandra\b/i],
  ['etcd', /\betcd\b/i],
  ['Prometheus', /\bprometheus\b/i],
  ['Grafana', /\bgrafana\b/i],
  ['Traefik', /\btraefik\b/i],
  ['NGINX', /\bnginx\b/i],
  ['HAProxy', /\bhaproxy\b/i],
  ['Envoy', /\benvoy\b/i],
  ['Istio', /\bistio\b/i],
  ['CoreDNS', /\bcoredns\b/i],
  ['DNS', /\bDNS\b/],
  ['CDN', /\bCDN\b/],
  ['AWS', /\b(AWS|amazon web services)\b/],
  ['S3', /\bS3\b/],
  ['EC2', /\bEC2\b/],
  ['EKS', /\bEKS\b/],
  ['RDS', /\bRDS\b/],
  ['DynamoDB', /\bdynamo ?db\b/i],
  ['Lambda', /\bAWS Lambda\b|\blambda functions?\b/i],
  ['CloudWatch', /\bcloud ?watch\b/i],
  ['ALB', /\b(ALB|ELB|application load balancer)\b/],
  ['Cloudflare', /\bcloudflare\b/i],
  ['GCP', /\b(GCP|google cloud)\b/],
  ['Azure', /\bazure\b/i],
  ['Terraform', /\bterraform\b/i],
  ['Flux', /\bflux(cd)?\b/i],
  ['Helm', /\bhelm\b/i],
  ['Docker', /\bdocker\b/i],
  ['GitHub Actions', /\bgithub actions\b/i],
  ['GitHub', /\bgithub\b/i],
  ['npm', /\bnpm\b/],
  ['RabbitMQ', /\brabbitmq\b/i],
  ['Consul', /\bconsul\b/i],
  ['Vault', /\bhashicorp vault\b|\bvault\b(?= (server|cluster|token|secret))/i],
  ['Jenkins', /\bjenkins\b/i],
  ['ADFS', /\bADFS\b/],
  ['Okta', /\bokta\b/i],
  ['Slack', /\bslack\b/i],
  ['Discord', /\bdiscord\b/i],
  ['Stripe', /\bstripe\b/i],
  ['Sentry', /\bsentry\b/i],
  ['Datadog', /\bdatadog\b/i],
  ['PagerDuty', /\bpagerduty\b/i],
  ['Celery', /\bcelery\b/i],
  ['load balancer', /\bload ?balancers?\b/i],
  ['database', /\bdatabases?\b/i],
  ['message queue', /\b(message )?queues?\b/i],
  ['cache', /\bcach(e|es|ing)\b/i],
  ['CI', /\b(CI|continuous integration)\b/],
];

const ERROR_TYPES: Array<[string, RegExp]> = [
  ['timeout', /\btime ?outs?\b|\btimed out\b/i],
  ['duplicate', /\bduplicat(e|ed|es|ion)\b/i],
  ['data_loss', /\bdata loss\b|\blost data\b|\bdeleted (data|records|accounts)\b/i],
  ['outage', /\boutages?\b|\bdown ?time\b|\bunavailab(le|ility)\b|\bwent down\b|\bis down\b/i],
  ['latency', /\blatenc(y|ies)\b|\bslow(ness|down)?\b|\bdelay(s|ed)?\b/i],
  ['5xx', /(?<![\d,.$€£])\b50[0-4]s?\b(?![,.]\d| ?(ms|minutes|seconds|teams|users|customers))|\b5xx\b/i],
  ['4xx', /(?<![\d,.$€£])\b40[0-4]s?\b(?![,.]\d| ?(ms|minutes|seconds|teams|users|customers))|\b4xx\b/i],
  ['resource_exhaustion', /\b(exhaust(ed|ion)|starvation|out of memory|OOM|disk (full|space)|ran out of|capacity)\b/i],
  ['certificate_expiry', /\bcertificates?\b.*\bexpir|\bexpired certificates?\b/i],
  ['misconfiguration', /\bmisconfigur|\bconfiguration (error|change|mistake)|\bwrong config/i],
  ['security', /\b(compromis(e|ed)|phishing|attack(er)?s?|vulnerabilit(y|ies)|CVE-\d|exploit|credentials? (leak|exposed)|supply[- ]chain|malicious|unauthori[sz]ed)\b/i],
  ['denial_of_service', /\b(denial[- ]of[- ]service|DoS|DDoS|flood(ed|ing)?)\b/],
  ['crash', /\bcrash(es|ed|ing)?\b|\bpanic(ked)?\b|\bsegfault\b/i],
  ['deadlock', /\bdeadlocks?\b/i],
  ['race_condition', /\brace conditions?\b/i],
  ['regression', /\bregression\b|\bbackwards?[- ]compatib/i],
  ['infinite_loop', /\binfinite (loop|recursion)\b/i],
  ['deployment', /\b(deploy(ment|ed)?|rollout|release|upgrade)\b/i],
  ['expiry', /\bexpir(ed|y|ation)\b/i],
];

/** Stated systems (front matter, "Services affected:") then well-known names found in the text, deduplicated. */
export function systemsOf(text: string, stated: unknown[]): string[] {
  const out: string[] = [];
  for (const value of stated) for (const item of listOf(value)) out.push(item);
  for (const [name, re] of SYSTEMS) if (re.test(text)) out.push(name);
  return dedupe(out).slice(0, 20);
}

/** Stated entities (front matter keywords, tags, categories). */
export function entitiesOf(_text: string, stated: unknown[]): string[] {
  const out: string[] = [];
  for (const value of stated) for (const item of listOf(value)) out.push(item);
  return dedupe(out).slice(0, 30);
}

export function errorTypesOf(text: string): string[] {
  return ERROR_TYPES.filter(([, re]) => re.test(text)).map(([name]) => name);
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[,;]|\band\b/).map((s) => s.trim()).filter((s) => s && s.length <= 60);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? [String(v).trim()] : [])).filter(Boolean);
  return [];
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
