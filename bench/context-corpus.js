// Real published postmortems (markdown) as incident records, for bench:context. When the build has the
// postmortem importer of `failures import` (dist/ingest/postmortem.js), it reads them; otherwise a
// minimal reader stands in: front matter, the title, the first paragraph as the summary, the rest as
// timeline-like text, front-matter categories and product as tags and systems. The plain BM25
// baseline always gets the whole document text.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

export const DEFAULT_DATA = '/work/data/postmortems';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.md') && !/^(README|LICENSE|CONTRIBUTING|CHANGELOG|SECURITY|CODE_OF_CONDUCT)/i.test(name)) out.push(path);
  }
  return out;
}

/** Every postmortem markdown file under the data folder, as { id, file, text }. */
export function loadDocuments(dataDir) {
  if (!existsSync(dataDir)) return undefined;
  const files = walk(dataDir).filter((f) => !/\/investigations\//.test(f));
  return files.map((file) => ({ id: relative(dataDir, file).split(sep).join('/'), file, text: readFileSync(file, 'utf8') }));
}

const strip = (s) =>
  s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_`>#|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The minimal reader (no importer): an incident record from one markdown document. */
export function minimalIncident(doc) {
  let body = doc.text;
  let front = {};
  const fm = body.match(/^---\s*\n([\s\S]*?)\n---\s*\n/);
  if (fm) {
    try {
      front = parse(fm[1]) ?? {};
    } catch {
      front = {};
    }
    body = body.slice(fm[0].length);
  }
  const heading = body.match(/^#{1,2}\s+(.+)$/m)?.[1];
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p && !/^#{1,6}\s/.test(p))
    .map(strip)
    .filter((p) => p.length > 20);
  const base = doc.id.split('/').pop().replace(/\.md$/, '');
  const title = strip(String(front.title ?? heading ?? (front.company ? `${front.company}: ${paragraphs[0]?.slice(0, 80) ?? base}` : base)));
  const tags = Array.isArray(front.categories) ? front.categories.map(String) : [];
  return {
    incident_id: doc.id,
    title: title || base,
    ...(paragraphs[0] ? { summary: paragraphs[0] } : {}),
    ...(front.product ? { systems: [String(front.product)] } : {}),
    ...(tags.length ? { tags } : {}),
    timeline: paragraphs.slice(1, 60),
  };
}

/** The plain text a keyword search sees: the whole document, markdown stripped. */
export function plainText(doc) {
  return strip(doc.text.replace(/^---\s*\n[\s\S]*?\n---\s*\n/, (m) => m.replace(/^(uuid|url|start_time|end_time):.*$/gm, '')));
}
