/**
 * A small parser for CRS WKT (WKT1 as written by Esri/GDAL, and WKT2): text → a tree of
 * KEYWORD[args] nodes, with helpers to find children and parameters. No CRS semantics here.
 */

/** A WKT node: KEYWORD[arg, arg, …]; args are strings (quoted), numbers, bare words or nodes. */
export interface WktNode {
  keyword: string;
  args: WktValue[];
}

/** A WKT argument. Bare enumerations (e.g. `north`, `EAST`) are kept as `{ bare: 'north' }`. */
export type WktValue = string | number | { bare: string } | WktNode;

/** Thrown for text that is not WKT; the message says where. */
export class WktSyntaxError extends Error {}

/** Parses one WKT object (leading BOM and whitespace allowed). Throws WktSyntaxError for non-WKT. */
export function parseWkt(text: string): WktNode {
  const src = text.replace(/^\uFEFF/, '');
  let pos = 0;

  const skipWs = () => {
    while (pos < src.length && /\s/.test(src[pos] ?? '')) pos++;
  };
  const fail = (what: string): never => {
    throw new WktSyntaxError(`${what} at offset ${pos}`);
  };

  const parseNode = (depth: number): WktNode => {
    if (depth > 32) fail('nesting too deep');
    skipWs();
    const start = pos;
    while (pos < src.length && /[A-Za-z0-9_]/.test(src[pos] ?? '')) pos++;
    const keyword = src.slice(start, pos);
    if (!keyword || !/^[A-Za-z]/.test(keyword)) fail('keyword expected');
    skipWs();
    const open = src[pos];
    if (open !== '[' && open !== '(') return fail(`"[" expected after ${keyword}`);
    const close = open === '[' ? ']' : ')';
    pos++;
    const args: WktValue[] = [];
    skipWs();
    if (src[pos] === close) {
      pos++;
      return { keyword: keyword.toUpperCase(), args };
    }
    for (;;) {
      args.push(parseValue(depth));
      skipWs();
      const c = src[pos];
      if (c === ',') {
        pos++;
        continue;
      }
      if (c === close) {
        pos++;
        break;
      }
      fail(`"," or "${close}" expected in ${keyword}`);
    }
    return { keyword: keyword.toUpperCase(), args };
  };

  const parseValue = (depth: number): WktValue => {
    skipWs();
    const c = src[pos];
    if (c === '"') {
      pos++;
      let out = '';
      for (;;) {
        if (pos >= src.length) fail('unterminated string');
        const ch = src[pos] ?? '';
        pos++;
        if (ch === '"') {
          if (src[pos] === '"') {
            out += '"'; // WKT escapes a quote by doubling it
            pos++;
            continue;
          }
          return out;
        }
        out += ch;
      }
    }
    const num = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(pos, pos + 64));
    if (num) {
      pos += num[0].length;
      return Number(num[0]);
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos, pos + 256));
    if (!word) return fail('value expected');
    const after = src.slice(pos + word[0].length).trimStart()[0];
    if (after === '[' || after === '(') return parseNode(depth + 1);
    pos += word[0].length;
    return { bare: word[0] };
  };

  const root = parseNode(0);
  skipWs();
  if (pos < src.length) fail('trailing text after WKT');
  return root;
}

/** True for a node (not a string/number/bare word). */
export function isNode(value: WktValue | undefined): value is WktNode {
  return typeof value === 'object' && value !== null && 'keyword' in value;
}

/** Direct children with one of the keywords. */
export function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter((a): a is WktNode => isNode(a) && keywords.includes(a.keyword));
}

/** First direct child with one of the keywords, or undefined. */
export function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0];
}

/** First descendant (depth-first, node itself excluded) with one of the keywords, or undefined. */
export function descendant(node: WktNode, ...keywords: string[]): WktNode | undefined {
  for (const a of node.args) {
    if (!isNode(a)) continue;
    if (keywords.includes(a.keyword)) return a;
    const found = descendant(a, ...keywords);
    if (found) return found;
  }
  return undefined;
}

/** The first argument as a string (node name), or ''. */
export function nameOf(node: WktNode | undefined): string {
  const first = node?.args[0];
  return typeof first === 'string' ? first : '';
}

/** The n-th argument as a number, or undefined. */
export function numberArg(node: WktNode | undefined, index: number): number | undefined {
  const value = node?.args[index];
  return typeof value === 'number' ? value : undefined;
}

/** Lower-cases and drops everything but letters and digits: 'False_Easting' → 'falseeasting'. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
