/*
 * A mutable piece of command text that rules consume: each rule finds its words with a
 * regular expression (case-insensitive) and blanks them out, so that what is left at the end
 * shows whether every word was understood.
 */

export class Phrase {
  constructor(public text: string) {}

  /** Finds `re` (first match), removes it from the text and returns the match, or null. */
  take(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.text);
    if (!m) return null;
    this.text = `${this.text.slice(0, m.index)} ${this.text.slice(m.index + m[0].length)}`.replace(/\s+/g, " ");
    return m;
  }

  /** Every match of `re` (a non-global pattern), removed one after another. */
  takeAll(re: RegExp): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    for (let m = this.take(re); m; m = this.take(re)) out.push(m);
    return out;
  }

  /** The words left, without the filler words in `filler`. */
  leftover(filler: ReadonlySet<string>): string[] {
    return this.text
      .toLowerCase()
      .split(/[\s,;:.!?()"']+/)
      .filter((w) => w && !filler.has(w));
  }
}
