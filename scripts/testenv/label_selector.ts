// Kubernetes label selector strings (`a=b,c!=d,e in (x,y),f notin (z),g,!h`) as a predicate.

type Requirement = (labels: Record<string, string>) => boolean;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

/** Returns a matcher, or throws an Error with a message for a 400 Bad Request. */
export function parseLabelSelector(selector: string | null): Requirement {
  if (!selector || selector.trim() === "") return () => true;
  const reqs: Requirement[] = splitTopLevel(selector).map((term) => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(",").map((v) => v.trim()).filter((v) => v !== ""));
      return op === "in"
        ? (l) => key in l && values.has(l[key]!)
        : (l) => !(key in l) || !values.has(l[key]!);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === "!=" ? (l) => l[key] !== value : (l) => key in l && l[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(term);
    if (m) {
      const [, not, key] = m as unknown as [string, string, string];
      return not ? (l) => !(key in l) : (l) => key in l;
    }
    throw new Error(`unable to parse requirement: ${term}`);
  });
  return (labels) => reqs.every((r) => r(labels));
}
