// A plain Drain (He et al., ICWS 2017) for side-by-side comparison: fixed-depth parse tree keyed by
// token count and the first tokens, similarity threshold 0.5, depth 4, max 100 children, and only
// generic masks (numbers, hex, IPs) — the usual "default settings" without per-system regexes.
const MASKS = [/\b(\d{1,3}\.){3}\d{1,3}(:\d+)?\b/g, /\b0x[0-9a-fA-F]+\b/g, /(?<![A-Za-z])-?\d+(\.\d+)?(?![A-Za-z])/g];
const WILD = '<*>';

export function drain(messages, { depth = 4, st = 0.5, maxChild = 100 } = {}) {
  const root = new Map();
  const clusters = [];
  const labels = [];
  for (const message of messages) {
    let text = message;
    for (const mask of MASKS) text = text.replace(mask, WILD);
    const tokens = text.trim().split(/\s+/).filter(Boolean);
    let node = root.get(tokens.length) ?? root.set(tokens.length, new Map()).get(tokens.length);
    for (let d = 0; d < Math.min(depth - 2, tokens.length); d++) {
      let token = /\d/.test(tokens[d]) ? WILD : tokens[d];
      if (!node.has(token) && node.size + 1 >= maxChild) token = WILD;
      node = node.get(token) ?? node.set(token, new Map()).get(token);
    }
    const leaf = node.get('') ?? node.set('', []).get('');
    let best = null;
    let bestSim = -1;
    let bestParams = -1;
    for (const c of leaf) {
      let same = 0;
      let params = 0;
      c.template.forEach((t, i) => (t === WILD ? params++ : t === tokens[i] && same++));
      const sim = tokens.length ? same / tokens.length : 1;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    if (best && bestSim >= st) {
      best.template = best.template.map((t, i) => (t === tokens[i] ? t : WILD));
      labels.push(best.id);
    } else {
      const c = { id: clusters.length, template: tokens };
      clusters.push(c);
      leaf.push(c);
      labels.push(c.id);
    }
  }
  return labels;
}
