// Pasted measurements → chart data. One subgroup per line (values separated by commas, semicolons, tabs or
// spaces); a first line with words is a header and skipped. Attribute charts: "count,size" per line (size
// optional for c charts). Decimal commas are not supported (a comma separates values).

export interface Parsed {
  subgroups: number[][];
  problems: string[]; // "line 3: “abc” is not a number"
}

export function parseCsv(text: string): Parsed {
  const subgroups: number[][] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const cells = line.split(/[,;\t ]+/).filter((c) => c !== "");
    const nums = cells.map(Number);
    const bad = cells.filter((_, j) => !Number.isFinite(nums[j]));
    if (bad.length) {
      if (subgroups.length === 0 && problems.length === 0 && bad.length === cells.length) return; // header
      problems.push(`line ${i + 1}: “${bad[0]}” is not a number`);
      return;
    }
    subgroups.push(nums);
  });
  return { subgroups, problems };
}

/** "10.1, 10.3 9.9" → [10.1, 10.3, 9.9], or null when something is not a number. */
export function parseValues(text: string): number[] | null {
  const cells = text.split(/[,;\t\s]+/).filter((c) => c !== "");
  const nums = cells.map(Number);
  return cells.length && nums.every(Number.isFinite) ? nums : null;
}
