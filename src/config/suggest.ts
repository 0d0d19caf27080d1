/**
 * Did-you-mean for a mistyped name (a command, an option, an experiment key, a parameter): the known
 * name it most likely meant.
 */

/**
 * Edit distance between two words, ignoring case: the fewest insertions, deletions, substitutions and
 * swaps of two adjacent letters that turn one into the other (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // Three rows of the dynamic programme: two back (for swaps), one back, and the one being filled.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[t.length]!;
}

const MAX_WORD = 100;

const lastPart = (name: string) => name.slice(name.lastIndexOf(".") + 1);

/**
 * The name `word` most likely meant, or undefined when none is near: the nearest name within an edit
 * distance of a third of the word's length (at least 1; the first on a tie), a dotted name measured by
 * the nearer of itself and its last part (`smoothing` -> `scaling.smoothing`); else the only name that
 * contains the word or is contained in it, ignoring case (`tps` -> `baseTps`), for words of 3 letters or more.
 * A word longer than MAX_WORD letters is no typo of a name (and is not compared, which would take long).
 */
export function closest(word: string, names: Iterable<string>): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  const list = [...names].filter((n) => n !== word);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const name of list) {
    const d = Math.min(editDistance(word, name), editDistance(word, lastPart(name)));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  if (best !== undefined || word.length < 3) return best;
  const w = word.toLowerCase();
  const containing = list.filter((n) => n.length >= 3 && (n.toLowerCase().includes(w) || w.includes(n.toLowerCase())));
  return containing.length === 1 ? containing[0] : undefined;
}
