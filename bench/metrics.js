// Scores for grouping: how `failures analyze` groups entries, against labels.

/**
 * `truth` and `predicted` map entry id → group key. `minFrequency` decides what counts as recurring.
 * - detection: share of true recurring groups that some reported pattern detects (holds at least half
 *   of the group, and the group is at least half of the pattern);
 * - falsePatterns: share of reported patterns (≥ minFrequency) that detect no true recurring group;
 * - pairwise precision and recall over pairs of entries grouped together;
 * - grouping accuracy (GA): share of entries whose predicted group holds exactly the entries of its true group.
 */
export function score(truth, predicted, minFrequency) {
  const groupsOf = (map) => {
    const groups = new Map();
    for (const [id, key] of map) {
      if (!groups.has(key)) groups.set(key, new Set());
      groups.get(key).add(id);
    }
    return groups;
  };
  const trueGroups = groupsOf(truth);
  const predictedGroups = groupsOf(predicted);
  const recurring = [...trueGroups.values()].filter((g) => g.size >= minFrequency);
  const reported = [...predictedGroups.values()].filter((g) => g.size >= minFrequency);
  const overlap = (a, b) => [...a].filter((x) => b.has(x)).length;
  const detects = (pattern, group) => {
    const shared = overlap(pattern, group);
    return shared * 2 >= group.size && shared * 2 >= pattern.size;
  };
  const detected = recurring.filter((g) => reported.some((p) => detects(p, g))).length;
  const falsePatterns = reported.filter((p) => !recurring.some((g) => detects(p, g))).length;

  let truePairs = 0;
  let predictedPairs = 0;
  let bothPairs = 0;
  for (const group of trueGroups.values()) truePairs += (group.size * (group.size - 1)) / 2;
  for (const group of predictedGroups.values()) {
    predictedPairs += (group.size * (group.size - 1)) / 2;
    const byTruth = new Map();
    for (const id of group) byTruth.set(truth.get(id), (byTruth.get(truth.get(id)) ?? 0) + 1);
    for (const n of byTruth.values()) bothPairs += (n * (n - 1)) / 2;
  }
  let exact = 0;
  for (const [id, key] of predicted) {
    const p = predictedGroups.get(key);
    const t = trueGroups.get(truth.get(id));
    if (p.size === t.size && overlap(p, t) === p.size) exact++;
  }
  return {
    detection: recurring.length ? detected / recurring.length : 1,
    falsePatterns: reported.length ? falsePatterns / reported.length : 0,
    precision: predictedPairs ? bothPairs / predictedPairs : 1,
    recall: truePairs ? bothPairs / truePairs : 1,
    ga: predicted.size ? exact / predicted.size : 1,
    recurringGroups: recurring.length,
    reportedPatterns: reported.length,
  };
}
